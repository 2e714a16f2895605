import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_NAME } from '../../../src/core/bundleFormat';
import {
  BundleError,
  importSessionBundle,
  planSessionBundle,
  writeSessionBundle,
  writeSessionBundleFile,
} from '../../../src/storage/sessionBundle';
import { SESSION_ID, writeDocumentedSession } from './exportFixture';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mockloop-bundle-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `dir` (relative path → bytes). */
async function tree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (rel: string) => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else out.set(path, await readFile(join(dir, path)));
    }
  };
  await walk('');
  return out;
}

async function bundleBytes(sessionsDir: string, id: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const { Writable } = await import('node:stream');
  await writeSessionBundle(
    sessionsDir,
    id,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

interface RawEntry {
  path: string;
  type?: string;
  body?: Buffer;
  /** What the header claims, when it should lie about the body. */
  size?: number;
  linkpath?: string;
}

/** A tar built header by header, so a test can write what no honest packer would. */
function rawTar(entries: RawEntry[], end = true): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    const header = new Header({
      path: e.path,
      mode: 0o644,
      size: e.size ?? body.length,
      mtime: new Date(0),
      type: (e.type ?? 'File') as 'File',
      ...(e.linkpath ? { linkpath: e.linkpath } : {}),
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  if (end) blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function manifestFor(sessionId: string, files: { path: string; body: Buffer }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: 'mockloop-session-bundle',
      version: 1,
      sessionId,
      files: files.map((f) => ({
        path: f.path,
        size: f.body.length,
        sha256: createHash('sha256').update(f.body).digest('hex'),
      })),
    }),
  );
}

async function expectRefused(bytes: Buffer, code: BundleError['code'], message: RegExp) {
  const sessionsDir = join(root, 'target', 'sessions');
  const error = await importSessionBundle(sessionsDir, [bytes]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BundleError);
  expect((error as BundleError).code).toBe(code);
  expect((error as BundleError).message).toMatch(message);
  // Nothing half-written: not the session, not a staging folder.
  expect(await readdir(sessionsDir)).toEqual([]);
  // And nothing outside the sessions folder either.
  expect((await readdir(join(root, 'target'))).sort()).toEqual(['sessions']);
}

describe('session bundle', () => {
  it('round-trips a session folder byte for byte, and re-exports to the same bytes', async () => {
    const source = await writeDocumentedSession(join(root, 'a'));
    const bytes = await bundleBytes(join(root, 'a', 'sessions'), SESSION_ID);
    const plan = await planSessionBundle(join(root, 'a', 'sessions'), SESSION_ID);
    expect(bytes.length).toBe(plan.bytes);

    const progress: number[] = [];
    const result = await importSessionBundle(
      join(root, 'b', 'sessions'),
      [bytes.subarray(0, 1000), bytes.subarray(1000)],
      { onProgress: (n) => progress.push(n) },
    );
    expect(result.sessionId).toBe(SESSION_ID);
    expect(progress.at(-1)).toBe(bytes.length);
    const copy = join(root, 'b', 'sessions', SESSION_ID);
    const before = await tree(source);
    const after = await tree(copy);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, content] of before) expect(after.get(path)?.equals(content), path).toBe(true);
    expect(await readdir(join(root, 'b', 'sessions'))).toEqual([SESSION_ID]);

    const again = await bundleBytes(join(root, 'b', 'sessions'), SESSION_ID);
    expect(again.equals(bytes)).toBe(true);
  });

  it('is a plain tar with the manifest last, and leaves temp files out', async () => {
    const dir = await writeDocumentedSession(join(root, 'a'));
    await writeFile(join(dir, '.session.json.1234abcd.tmp'), 'half-written');
    const out = join(root, 'out.mockloop.tar');
    await writeSessionBundleFile(join(root, 'a', 'sessions'), SESSION_ID, out);
    const { execFileSync } = await import('node:child_process');
    const listing = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.at(-1)).toBe(MANIFEST_NAME);
    expect(listing).toContain('scorecards/4.json');
    expect(listing).toContain('attempts/1/audio.wav');
    expect(listing.some((p) => p.includes('.tmp'))).toBe(false);
    expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to overwrite a session that exists, and leaves it as it was', async () => {
    await writeDocumentedSession(join(root, 'a'));
    const bytes = await bundleBytes(join(root, 'a', 'sessions'), SESSION_ID);
    const sessionsDir = join(root, 'b', 'sessions');
    await importSessionBundle(sessionsDir, [bytes]);
    const existing = join(sessionsDir, SESSION_ID, 'session.json');
    await writeFile(existing, 'edited locally');
    const error = await importSessionBundle(sessionsDir, [bytes]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).code).toBe('exists');
    expect((error as Error).message).toMatch(/already in this data folder; it was not overwritten/);
    expect(await readFile(existing, 'utf8')).toBe('edited locally');
    expect(await readdir(sessionsDir)).toEqual([SESSION_ID]);
  });

  it('refuses a session that is still recording', async () => {
    const dir = await writeDocumentedSession(join(root, 'a'));
    const record = JSON.parse(await readFile(join(dir, 'session.json'), 'utf8'));
    await writeFile(join(dir, 'session.json'), JSON.stringify({ ...record, status: 'recording' }));
    await expect(bundleBytes(join(root, 'a', 'sessions'), SESSION_ID)).rejects.toThrow(
      /still being recorded/,
    );
  });

  describe('import refuses a malicious bundle and writes nothing', () => {
    const body = Buffer.from('{"evil":true}');

    it('an entry that climbs out with ../', async () => {
      await expectRefused(rawTar([{ path: '../../escaped.json', body }]), 'unsafe', /\.\./);
      await expectRefused(rawTar([{ path: 'scorecards/../../x.json', body }]), 'unsafe', /\.\./);
    });

    it('an absolute path', async () => {
      await expectRefused(
        rawTar([{ path: '/tmp/mockloop-evil.json', body }]),
        'unsafe',
        /absolute/,
      );
    });

    it('a symbolic link or a hard link', async () => {
      await expectRefused(
        rawTar([{ path: 'audio.wav', type: 'SymbolicLink', linkpath: '/etc/passwd' }]),
        'unsafe',
        /SymbolicLink.*only plain files/,
      );
      await expectRefused(
        rawTar([{ path: 'peaks.json', type: 'Link', linkpath: 'session.json' }]),
        'unsafe',
        /Link.*only plain files/,
      );
    });

    it('a huge entry, refused from its header before any byte is written', async () => {
      // The header claims 5 GB; the body is never sent (and need not be).
      await expectRefused(
        rawTar([{ path: 'annotations.json', size: 5 * 1024 ** 3 }], false),
        'too-large',
        /claims 5\.0 GB/,
      );
      await expectRefused(
        rawTar([{ path: 'audio.wav', size: 6 * 1024 ** 3 }], false),
        'too-large',
        /audio\.wav claims/,
      );
    });

    it('hidden names, devices, duplicates and garbage', async () => {
      await expectRefused(rawTar([{ path: '.bashrc', body }]), 'unsafe', /no leading dot/);
      await expectRefused(rawTar([{ path: 'null', type: 'CharacterDevice' }]), 'unsafe', /plain/);
      await expectRefused(
        rawTar([
          { path: 'x.json', body },
          { path: 'x.json', body },
        ]),
        'unsafe',
        /twice/,
      );
      await expectRefused(Buffer.alloc(4096, 7), 'invalid', /not a (readable|complete)/);
      await expectRefused(Buffer.alloc(0), 'invalid', /not a (readable|complete)/);
    });

    it('a file that does not match the manifest, or a manifest that lists a missing file', async () => {
      await writeDocumentedSession(join(root, 'a'));
      const session = await readFile(join(root, 'a', 'sessions', SESSION_ID, 'session.json'));
      const tampered = Buffer.from(session.toString().replace('Kafka', 'Kofka'));
      await expectRefused(
        rawTar([
          { path: 'session.json', body: tampered },
          {
            path: MANIFEST_NAME,
            body: manifestFor(SESSION_ID, [{ path: 'session.json', body: session }]),
          },
        ]),
        'invalid',
        /does not match the bundle's manifest/,
      );
      await expectRefused(
        rawTar([
          { path: 'session.json', body: session },
          {
            path: MANIFEST_NAME,
            body: manifestFor(SESSION_ID, [
              { path: 'session.json', body: session },
              { path: 'audio.wav', body: Buffer.from('x') },
            ]),
          },
        ]),
        'invalid',
        /lists audio\.wav, which is missing/,
      );
    });

    it('a session.json that is not a valid session, or is for another id', async () => {
      const bad = Buffer.from('{"schemaVersion":1}');
      await expectRefused(
        rawTar([
          { path: 'session.json', body: bad },
          {
            path: MANIFEST_NAME,
            body: manifestFor(SESSION_ID, [{ path: 'session.json', body: bad }]),
          },
        ]),
        'invalid',
        /session\.json is not valid/,
      );
      await writeDocumentedSession(join(root, 'a'));
      const session = await readFile(join(root, 'a', 'sessions', SESSION_ID, 'session.json'));
      const files = [{ path: 'session.json', body: session }];
      await expectRefused(
        rawTar([...files, { path: MANIFEST_NAME, body: manifestFor('another-id', files) }]),
        'invalid',
        /not the session its manifest names/,
      );
    });

    it('a truncated bundle', async () => {
      await writeDocumentedSession(join(root, 'a'));
      const bytes = await bundleBytes(join(root, 'a', 'sessions'), SESSION_ID);
      await expectRefused(bytes.subarray(0, Math.floor(bytes.length / 2)), 'invalid', /./);
    });
  });

  it('a failed import leaves no staging folder, and a crashed one is cleaned up later', async () => {
    const sessionsDir = join(root, 'b', 'sessions');
    await importSessionBundle(sessionsDir, [
      rawTar([{ path: '../x', body: Buffer.from('x') }]),
    ]).catch(() => undefined);
    expect(await readdir(sessionsDir)).toEqual([]);
    expect((await stat(sessionsDir)).isDirectory()).toBe(true);
  });
});
