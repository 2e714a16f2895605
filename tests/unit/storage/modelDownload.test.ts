import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  downloadModelFile,
  ModelDownloadError,
  partPath,
  type DownloadProgress,
} from '../../../src/storage/modelDownload';

const MODEL = randomBytes(3 * (1 << 20) + 12_345);
const SHA = createHash('sha256').update(MODEL).digest('hex');

/** Serves MODEL with Range support; `cutAfter` drops the connection after that many bytes. */
let cutAfter: number | null = null;
let ignoreRange = false;
let ranges: (string | undefined)[] = [];
let server: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    ranges.push(req.headers.range);
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = m && !ignoreRange ? Number(m[1]) : 0;
    const body = MODEL.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, {
      'content-length': String(body.length),
      ...(start > 0
        ? { 'content-range': `bytes ${start}-${MODEL.length - 1}/${MODEL.length}` }
        : {}),
    });
    if (cutAfter !== null) {
      res.write(body.subarray(0, cutAfter), () => res.destroy());
      cutAfter = null;
    } else {
      res.end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ggml-test.bin`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  cutAfter = null;
  ignoreRange = false;
  ranges = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function target(): string {
  dir = mkdtempSync(join(tmpdir(), 'mockloop-models-'));
  return join(dir, 'models', 'ggml-test.bin');
}

const spec = () => ({ url, bytes: MODEL.length, sha256: SHA });

describe('downloading a model', () => {
  it('downloads, reports progress, checks the checksum and only then names the file', async () => {
    const file = target();
    const seen: DownloadProgress[] = [];
    await downloadModelFile(spec(), file, { onProgress: (p) => seen.push(p) });
    expect(readFileSync(file).equals(MODEL)).toBe(true);
    expect(existsSync(partPath(file))).toBe(false);
    expect(seen.at(-1)).toEqual({ receivedBytes: MODEL.length, totalBytes: MODEL.length });
    expect(seen.length).toBeGreaterThan(2);
  });

  it('resumes after a cut from where it stopped (HTTP Range), not from the start', async () => {
    const file = target();
    cutAfter = 1_000_000;
    const first = await downloadModelFile(spec(), file).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ModelDownloadError);
    expect((first as ModelDownloadError).failure).toBe('offline');
    expect(existsSync(file)).toBe(false);
    const kept = statSync(partPath(file)).size;
    expect(kept).toBeGreaterThan(0);
    await downloadModelFile(spec(), file);
    expect(ranges.at(-1)).toBe(`bytes=${kept}-`);
    expect(readFileSync(file).equals(MODEL)).toBe(true);
  });

  it('starts over when the server ignores the range', async () => {
    const file = target();
    cutAfter = 500_000;
    await downloadModelFile(spec(), file).catch(() => undefined);
    expect(statSync(partPath(file)).size).toBeGreaterThan(0);
    ignoreRange = true;
    await downloadModelFile(spec(), file);
    expect(ranges.at(-1)).toMatch(/^bytes=\d+-$/);
    expect(readFileSync(file).equals(MODEL)).toBe(true);
  });

  it('cancels on request, keeps the part for a resume, and names nothing', async () => {
    const file = target();
    const controller = new AbortController();
    const error = await downloadModelFile(spec(), file, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.receivedBytes > 1 << 20) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as ModelDownloadError).failure).toBe('cancelled');
    expect(existsSync(file)).toBe(false);
    expect(statSync(partPath(file)).size).toBeGreaterThan(0);
  });

  it('deletes a download whose checksum is wrong, leaving nothing as if installed', async () => {
    const file = target();
    const error = await downloadModelFile({ ...spec(), sha256: '0'.repeat(64) }, file).catch(
      (e: unknown) => e,
    );
    expect((error as ModelDownloadError).failure).toBe('checksum');
    expect((error as Error).message).toMatch(/does not match its published checksum/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(partPath(file))).toBe(false);
  });

  it('says plainly when there is no network', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await downloadModelFile(
      { ...spec(), url: `http://127.0.0.1:${port}/x.bin` },
      target(),
    ).catch((e: unknown) => e);
    expect((error as ModelDownloadError).failure).toBe('offline');
    expect((error as Error).message).toMatch(/check your network connection/);
  });

  it('says the disk is full when a write fails with ENOSPC, and keeps what it had', async () => {
    const file = target();
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const failing: typeof fetch = async () =>
      new Response(
        new ReadableStream({
          pull() {
            throw full;
          },
        }),
        { status: 200 },
      );
    const error = await downloadModelFile(spec(), file, { fetch: failing }).catch(
      (e: unknown) => e,
    );
    expect((error as ModelDownloadError).failure).toBe('disk-full');
    expect((error as Error).message).toMatch(/disk is full/);
    expect(existsSync(file)).toBe(false);
  });
});
