import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../../src/api/dispatcher';
import { mediaPath, parseMediaPath } from '../../../src/core/mediaPaths';
import { mediaProtocolResponse } from '../../../src/main/mediaProtocol';
import { newAccessToken } from '../../../src/server/accessToken';
import { startWebServer, type RunningWebServer } from '../../../src/server/webServer';

const ID = '2026-11-22T18-49-50Z-ab12cd';
const OTHER = '2026-11-22T18-50-00Z-cd34ef';
const token = newAccessToken();
let dir: string;
let sessionsDir: string;
let server: RunningWebServer;
let audio: Buffer;
let attemptAudio: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mockloop-media-'));
  sessionsDir = join(dir, 'data', 'sessions');
  await mkdir(join(sessionsDir, ID, 'attempts', '1'), { recursive: true });
  await mkdir(join(sessionsDir, OTHER), { recursive: true });
  await mkdir(join(dir, 'static'));
  await writeFile(join(dir, 'static', 'index.html'), '<!doctype html>');
  await writeFile(join(dir, 'secret.wav'), 'TOP-SECRET');
  audio = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 31) % 256));
  attemptAudio = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
  await writeFile(join(sessionsDir, ID, 'audio.wav'), audio);
  await writeFile(join(sessionsDir, ID, 'session.json'), '{"private":true}');
  await writeFile(join(sessionsDir, ID, 'attempts', '1', 'audio.wav'), attemptAudio);
  // A recording that is a link out of the data folder must not be followed.
  await symlink(join(dir, 'secret.wav'), join(sessionsDir, OTHER, 'audio.wav'));
  server = await startWebServer({
    handlers: {} as ApiHandlers,
    staticDir: join(dir, 'static'),
    token,
    port: 0,
    onClientGone: () => undefined,
    sessionsDir,
  });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request: the path is sent exactly as given (no URL normalisation). */
function request(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  withToken = true,
): Promise<Reply> {
  const sep = path.includes('?') ? '&' : '?';
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path: withToken ? `${path}${sep}token=${encodeURIComponent(token)}` : path,
        headers: { Host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const AUDIO = `/media/sessions/${ID}/audio.wav`;

describe('browser mode media route', () => {
  it('sends the whole recording with Accept-Ranges when no range is asked for', async () => {
    const reply = await request(AUDIO);
    expect(reply.status).toBe(200);
    expect(reply.headers['accept-ranges']).toBe('bytes');
    expect(reply.headers['content-type']).toBe('audio/wav');
    expect(reply.headers['content-length']).toBe(String(audio.length));
    expect(reply.body.equals(audio)).toBe(true);
  });

  it.each([
    ['bytes=0-0', 0, 0],
    ['bytes=1234-5677', 1234, 5677],
    ['bytes=9000-', 9000, 9999],
    ['bytes=-10', 9990, 9999],
    ['bytes=9990-20000', 9990, 9999],
  ])('answers %s with 206 and exactly those bytes', async (range, start, end) => {
    const reply = await request(AUDIO, { Range: range });
    expect(reply.status).toBe(206);
    expect(reply.headers['content-range']).toBe(`bytes ${start}-${end}/${audio.length}`);
    expect(reply.headers['content-length']).toBe(String(end - start + 1));
    expect(reply.body.equals(audio.subarray(start, end + 1))).toBe(true);
  });

  it('answers a range past the end with 416 and the size', async () => {
    const reply = await request(AUDIO, { Range: `bytes=${audio.length}-` });
    expect(reply.status).toBe(416);
    expect(reply.headers['content-range']).toBe(`bytes */${audio.length}`);
    expect(reply.body.length).toBe(0);
  });

  it('answers HEAD with the headers only', async () => {
    const reply = await request(AUDIO, { Range: 'bytes=0-99' }, 'HEAD');
    expect(reply.status).toBe(206);
    expect(reply.headers['content-length']).toBe('100');
    expect(reply.body.length).toBe(0);
  });

  it("serves an answer-again attempt's recording", async () => {
    const reply = await request(`/media/sessions/${ID}/attempts/1/audio.wav`, {
      Range: 'bytes=10-19',
    });
    expect(reply.status).toBe(206);
    expect(reply.body.equals(attemptAudio.subarray(10, 20))).toBe(true);
  });

  it('needs the access token, our Host and our Origin like every request', async () => {
    expect((await request(AUDIO, {}, 'GET', false)).status).toBe(401);
    expect((await request(AUDIO, { Host: 'evil.example:80' })).status).toBe(421);
    expect((await request(AUDIO, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await request(AUDIO, { Cookie: `mockloop_token=${token}` }, 'GET', false)).status).toBe(
      200,
    );
  });

  it.each([
    `/media/sessions/${ID}/session.json`,
    `/media/sessions/${ID}/../${ID}/session.json`,
    `/media/sessions/../../secret.wav`,
    `/media/sessions/%2e%2e/%2e%2e/secret.wav`,
    `/media/sessions/${ID}/..%2F..%2F..%2Fsecret.wav`,
    `/media/sessions/${ID}%2Faudio.wav`,
    `/media/sessions/${ID}/attempts/0/audio.wav`,
    `/media/sessions/${ID}/attempts/../audio.wav/x`,
    `/media/sessions/${ID}/attempts/1/../../../../secret.wav`,
    `/media/sessions/${OTHER}/audio.wav`,
    `/media/sessions/nope/audio.wav`,
    `/media/sessions/.hidden/audio.wav`,
  ])('refuses %s', async (path) => {
    const reply = await request(path);
    expect([404, 400]).toContain(reply.status);
    expect(reply.body.toString()).not.toContain('TOP-SECRET');
    expect(reply.body.toString()).not.toContain('private');
  });

  it('refuses other methods', async () => {
    expect((await request(AUDIO, {}, 'POST')).status).toBe(405);
  });
});

describe('media paths', () => {
  it('round-trip through their URL form', () => {
    expect(parseMediaPath(mediaPath(ID))).toEqual({ sessionId: ID, file: 'audio.wav' });
    expect(parseMediaPath(mediaPath(ID, 3))).toEqual({
      sessionId: ID,
      attempt: 3,
      file: 'audio.wav',
    });
  });
});

describe("Electron's mockloop://app/media/ handler", () => {
  const url = (path: string) => `mockloop://app${path}`;

  it('serves the same ranges as browser mode', async () => {
    const response = (await mediaProtocolResponse(
      new Request(url(AUDIO), { headers: { Range: 'bytes=100-199' } }),
      sessionsDir,
    ))!;
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 100-199/${audio.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(audio.subarray(100, 200))).toBe(true);

    const unsatisfiable = (await mediaProtocolResponse(
      new Request(url(AUDIO), { headers: { Range: 'bytes=20000-' } }),
      sessionsDir,
    ))!;
    expect(unsatisfiable.status).toBe(416);
  });

  it('leaves other paths to the app protocol and refuses files outside the allow-list', async () => {
    expect(await mediaProtocolResponse(new Request(url('/index.html')), sessionsDir)).toBeNull();
    const denied = (await mediaProtocolResponse(
      new Request(url(`/media/sessions/${OTHER}/audio.wav`)),
      sessionsDir,
    ))!;
    expect(denied.status).toBe(404);
    const json = (await mediaProtocolResponse(
      new Request(url(`/media/sessions/${ID}/session.json`)),
      sessionsDir,
    ))!;
    expect(json.status).toBe(404);
  });
});
