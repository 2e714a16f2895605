import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiEvent } from '../../../src/api/contract';
import { ChildProcessFlite } from '../../../src/providers/embedded/fliteProcess';
import { MemoryKeyVault } from '../../../src/backend/keyVault';
import { MockloopService } from '../../../src/backend/mockloopService';
import {
  newAccessToken,
  TOKEN_COOKIE,
  tokenFromRequest,
  tokenMatches,
} from '../../../src/server/accessToken';
import { startWebServer, type RunningWebServer } from '../../../src/server/webServer';
import { decodeServerFrame, encodeFrame, type ServerFrame } from '../../../src/server/wireCodec';

const promptsDir = join(import.meta.dirname, '../../../prompts');
const INDEX = '<!doctype html><title>Mockloop test page</title>';
const SECRET = 'TOP-SECRET-CONTENTS';

let dir: string;
let server: RunningWebServer;
let service: MockloopService;
let listenAddress: AddressInfo;
const token = newAccessToken();
const gone: string[] = [];

// The offline voice in a child process, as in browser mode (see fliteProcess.ts).
const flite = new ChildProcessFlite();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mockloop-web-'));
  const staticDir = join(dir, 'static');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await mkdir(join(dir, 'static-secret'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), INDEX);
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  await writeFile(join(dir, 'secret.txt'), SECRET);
  await writeFile(join(dir, 'static-secret', 'x.txt'), SECRET);
  await writeFile(join(dir, 'package.json'), SECRET);

  service = new MockloopService({
    dataDir: join(dir, 'data'),
    promptsDir,
    mode: 'browser',
    version: '0.0.0-test',
    keyVault: new MemoryKeyVault(),
    env: {},
    fliteRunner: flite,
  });
  const listen = vi.spyOn(http.Server.prototype, 'listen');
  server = await startWebServer({
    handlers: service.handlers,
    staticDir,
    token,
    port: 0,
    onClientGone: (clientId) => {
      gone.push(clientId);
      void service.clientGone(clientId);
    },
  });
  const httpServer = listen.mock.contexts[0] as http.Server;
  listenAddress = httpServer.address() as AddressInfo;
  listen.mockRestore();
});

afterAll(async () => {
  flite.close();
  await service?.shutdown();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  path: string,
  options: { headers?: Record<string, string>; method?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        agent: false,
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const withCookie = (extra: Record<string, string> = {}) => ({
  headers: { cookie: `${TOKEN_COOKIE}=${encodeURIComponent(token)}`, ...extra },
});
const origin = () => `http://127.0.0.1:${server.port}`;

describe('web server: listening', () => {
  it('listens on 127.0.0.1 only and prints the URL with the token', () => {
    expect(listenAddress.address).toBe('127.0.0.1');
    expect(listenAddress.port).toBe(server.port);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${encodeURIComponent(token)}`);
  });
});

describe('web server: HTTP access', () => {
  it('refuses a request without a token', async () => {
    const reply = await request('/');
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain(INDEX);
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a wrong token, in the query or the cookie', async () => {
    expect((await request(`/?token=${newAccessToken()}`)).status).toBe(401);
    expect((await request('/', { headers: { cookie: `${TOKEN_COOKIE}=nope` } })).status).toBe(401);
    expect((await request(`/?token=${token.slice(0, -1)}`)).status).toBe(401);
  });

  it('serves the page for the right token with a CSP and a strict token cookie', async () => {
    const reply = await request(`/?token=${encodeURIComponent(token)}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(INDEX);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const cookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`${TOKEN_COOKIE}=${encodeURIComponent(token)}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('then accepts the cookie alone, for the page and its assets', async () => {
    const page = await request('/', withCookie());
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX);
    const script = await request('/assets/app.js', withCookie());
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('accepts localhost as the host too', async () => {
    const reply = await request('/', withCookie({ host: `localhost:${server.port}` }));
    expect(reply.status).toBe(200);
  });

  it.each(['evil.com:PORT', 'evil.com', '127.0.0.1', '127.0.0.1:1', 'localhost.evil.com:PORT'])(
    'refuses the Host header %s (DNS rebinding) with 421',
    async (host) => {
      const reply = await request(
        '/',
        withCookie({ host: host.replace('PORT', String(server.port)) }),
      );
      expect(reply.status).toBe(421);
      expect(reply.body).not.toContain(INDEX);
    },
  );

  it.each(['http://evil.com', 'null', 'http://127.0.0.1:1', 'https://127.0.0.1:PORT'])(
    'refuses the foreign Origin %s with 403',
    async (value) => {
      const reply = await request(
        '/',
        withCookie({ origin: value.replace('PORT', String(server.port)) }),
      );
      expect(reply.status).toBe(403);
      expect(reply.body).not.toContain(INDEX);
    },
  );

  it('accepts its own Origin', async () => {
    expect((await request('/', withCookie({ origin: origin() }))).status).toBe(200);
  });

  it.each([
    '/../secret.txt',
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/%2E%2E%2F%2E%2E%2Fsecret.txt',
    '/assets/../../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/../static-secret/x.txt',
    '/..%2fstatic-secret%2fx.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/assets',
    '/missing.html',
  ])('does not serve %s', async (path) => {
    const reply = await request(path, withCookie());
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain(SECRET);
  });

  it('answers only GET and HEAD', async () => {
    expect((await request('/', { ...withCookie(), method: 'POST' })).status).toBe(405);
    const head = await request('/', { ...withCookie(), method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

/** Connects a WebSocket; resolves with the socket once open, or the refusal status. */
function connect(
  path: string,
  options: { origin?: string; cookie?: boolean } = {},
): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, {
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      headers: options.cookie ? { cookie: `${TOKEN_COOKIE}=${encodeURIComponent(token)}` } : {},
    });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', (error) => reject(error));
  });
}

async function open(): Promise<WebSocket> {
  const result = await connect(`/api?token=${encodeURIComponent(token)}`, { origin: origin() });
  if (!('ws' in result)) throw new Error(`refused with ${result.status}`);
  return result.ws;
}

/** Collects frames from the server; `next` waits for one matching. */
function frames(ws: WebSocket) {
  const seen: ServerFrame[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data: Buffer) => {
    seen.push(decodeServerFrame(new Uint8Array(data)));
    waiters.splice(0).forEach((w) => w());
  });
  return {
    seen,
    async next(match: (f: ServerFrame) => boolean, timeoutMs = 5000): Promise<ServerFrame> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = seen.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('no matching frame');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

const result = (id: number) => (f: ServerFrame) => f.t === 'result' && f.id === id;

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('web server: WebSocket API', () => {
  it('refuses an upgrade without a token', async () => {
    expect(await connect('/api', { origin: origin() })).toEqual({ status: 401 });
  });

  it('refuses an upgrade with a wrong token', async () => {
    expect(await connect(`/api?token=${newAccessToken()}`, { origin: origin() })).toEqual({
      status: 401,
    });
  });

  it('refuses an upgrade from a foreign Origin or with no Origin, even with the token', async () => {
    const path = `/api?token=${encodeURIComponent(token)}`;
    expect(await connect(path, { origin: 'http://evil.com' })).toEqual({ status: 403 });
    expect(await connect(path)).toEqual({ status: 403 });
    expect(await connect('/api', { origin: 'http://evil.com', cookie: true })).toEqual({
      status: 403,
    });
  });

  it('refuses an upgrade on another path', async () => {
    expect(
      await connect(`/other?token=${encodeURIComponent(token)}`, { origin: origin() }),
    ).toEqual({ status: 404 });
  });

  it('accepts the cookie in place of the query token', async () => {
    const r = await connect('/api', { origin: origin(), cookie: true });
    expect('ws' in r).toBe(true);
    if ('ws' in r) r.ws.close();
  });

  it('answers a msgpack call to rounds.list', async () => {
    const ws = await open();
    const f = frames(ws);
    ws.send(encodeFrame({ id: 7, method: 'rounds.list', payload: {} }));
    const reply = await f.next(result(7));
    expect(reply.t).toBe('result');
    if (reply.t !== 'result' || !reply.result.ok) throw new Error('rounds.list failed');
    const value = reply.result.value as { rounds: { id: string }[]; problems: unknown[] };
    expect(value.rounds.map((r) => r.id)).toContain('eng-kafka-internals');
    ws.close();
  });

  it('returns contract errors as results, not by closing the socket', async () => {
    const ws = await open();
    const f = frames(ws);
    ws.send(encodeFrame({ id: 1, method: 'nope', payload: {} }));
    ws.send(encodeFrame({ id: 2, method: 'round.end', payload: { sessionId: '../x' } }));
    ws.send(encodeFrame({ id: 3, method: 'round.end', payload: { sessionId: 'not-running' } }));
    const [r1, r2, r3] = await Promise.all([1, 2, 3].map((id) => f.next(result(id))));
    expect(r1).toMatchObject({ result: { ok: false, error: { code: 'bad-request' } } });
    expect(r2).toMatchObject({ result: { ok: false, error: { code: 'bad-request' } } });
    expect(r3).toMatchObject({ result: { ok: false, error: { code: 'not-found' } } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it.each([
    ['undecodable msgpack', Buffer.from([0xc1]), 1007],
    ['a frame without an id', Buffer.from(encodeFrame({ method: 'x' } as never)), 1007],
    ['a frame that is a list', Buffer.from(encodeFrame([1, 'rounds.list'] as never)), 1007],
    ['a text frame', 'hello', 1003],
  ] as const)('closes the socket on %s and keeps serving', async (_name, data, code) => {
    const ws = await open();
    const done = closed(ws);
    ws.send(data);
    expect(await done).toBe(code);

    // The server is still up for the next client and for HTTP.
    const next = await open();
    const f = frames(next);
    next.send(encodeFrame({ id: 1, method: 'app.info', payload: {} }));
    expect(await f.next(result(1))).toMatchObject({
      result: { ok: true, value: { mode: 'browser', version: '0.0.0-test' } },
    });
    next.close();
    expect((await request('/', withCookie())).status).toBe(200);
  });

  it('routes round events to the owner, keeps others out, and ends the round when it leaves', async () => {
    const owner = await open();
    const other = await open();
    const ownerFrames = frames(owner);
    const otherFrames = frames(other);
    owner.send(
      encodeFrame({
        id: 1,
        method: 'settings.update',
        payload: { providers: { stt: 'fake', interviewer: 'fake', tts: 'fake' } },
      }),
    );
    expect(await ownerFrames.next(result(1))).toMatchObject({ result: { ok: true } });
    owner.send(
      encodeFrame({ id: 2, method: 'round.start', payload: { roundId: 'eng-kafka-internals' } }),
    );
    const started = await ownerFrames.next(result(2));
    if (started.t !== 'result' || !started.result.ok) throw new Error('round.start failed');
    const { sessionId } = started.result.value as { sessionId: string };

    // The opening streams to the owner as speech events.
    const speech = await ownerFrames.next(
      (f) => f.t === 'event' && f.event.sessionId === sessionId && f.event.event.type === 'speech',
    );
    const event = (speech as { event: ApiEvent }).event.event;
    expect(event.type === 'speech' && event.pcm).toBeInstanceOf(Uint8Array);

    // Another page may not drive or end it, and sees none of its events.
    other.send(encodeFrame({ id: 3, method: 'round.end', payload: { sessionId } }));
    expect(await otherFrames.next(result(3))).toMatchObject({
      result: { ok: false, error: { code: 'forbidden' } },
    });
    expect(otherFrames.seen.filter((f) => f.t === 'event')).toEqual([]);

    // Audio as binary msgpack: whole stereo frames.
    owner.send(
      encodeFrame({
        id: 4,
        method: 'round.audio',
        payload: { sessionId, pcm: new Uint8Array(9600) },
      }),
    );
    expect(await ownerFrames.next(result(4))).toMatchObject({ result: { ok: true, value: null } });

    // The owner goes away: the round is ended and kept as interrupted.
    const goneBefore = gone.length;
    const done = closed(owner);
    owner.close();
    await done;
    await vi.waitFor(() => expect(gone.length).toBe(goneBefore + 1), { timeout: 2000 });
    await vi.waitFor(
      async () => {
        const session = await service.sessions.get(sessionId);
        expect(session.status).toBe('interrupted');
        expect(session.endReason).toBe('disconnected');
      },
      { timeout: 3000, interval: 20 },
    );
    other.close();
  });
});

describe('accessToken', () => {
  it('matches only the exact token', () => {
    const t = newAccessToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t, `${t}x`)).toBe(false);
    expect(tokenMatches(t, t.slice(1))).toBe(false);
    expect(tokenMatches(t, t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase())).toBe(false);
    expect(tokenMatches(t, newAccessToken())).toBe(false);
  });

  it('is false for an empty or missing token, even against an empty secret', () => {
    const t = newAccessToken();
    expect(tokenMatches(t, '')).toBe(false);
    expect(tokenMatches(t, null)).toBe(false);
    expect(tokenMatches(t, undefined)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });

  it('makes long, unguessable, URL-safe tokens', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newAccessToken()));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('reads the token from the query first, then the cookie', () => {
    const url = (q: string) => new URL(`http://127.0.0.1:1/${q}`);
    expect(tokenFromRequest(url('?token=abc'), `${TOKEN_COOKIE}=def`)).toBe('abc');
    expect(tokenFromRequest(url(''), `a=1; ${TOKEN_COOKIE}=d%3Def; b=2`)).toBe('d=ef');
    expect(tokenFromRequest(url(''), `x${TOKEN_COOKIE}=def`)).toBeNull();
    expect(tokenFromRequest(url(''), undefined)).toBeNull();
  });
});
