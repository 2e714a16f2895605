import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src/api/dispatcher';
import { dispatch } from '../../../src/api/dispatcher';
import { SessionExporter } from '../../../src/backend/exportBackend';
import { MemoryKeyVault } from '../../../src/backend/keyVault';
import { MockloopService } from '../../../src/backend/mockloopService';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCli } from '../../../src/cli/mockloopCli';
import { newAccessToken } from '../../../src/server/accessToken';
import { startWebServer, type RunningWebServer } from '../../../src/server/webServer';
import { SESSION_ID, writeDocumentedSession } from './exportFixture';

const repo = join(import.meta.dirname, '../../..');
const promptsDir = join(repo, 'prompts');
const context: CallContext = { clientId: 'test', emit: () => undefined };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mockloop-export-io-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function browserServer(dataDir: string) {
  const staticDir = join(root, 'static');
  await mkdir(staticDir, { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const service = new MockloopService({
    dataDir,
    promptsDir,
    mode: 'browser',
    version: '0.0.0-test',
    keyVault: new MemoryKeyVault(),
    env: {},
  });
  const token = newAccessToken();
  const server = await startWebServer({
    handlers: service.handlers,
    staticDir,
    token,
    port: 0,
    onClientGone: () => undefined,
    sessionsDir: service.sessions.sessionsDir,
    exporter: new SessionExporter({ dataDir, promptsDir, version: '0.0.0-test' }),
  });
  return { service, server, token, origin: `http://127.0.0.1:${server.port}` };
}

describe('browser mode: download and upload through the real web server', () => {
  let a: Awaited<ReturnType<typeof browserServer>>;
  let b: Awaited<ReturnType<typeof browserServer>>;
  const servers: RunningWebServer[] = [];

  beforeAll(async () => {
    await writeDocumentedSession(join(root, 'web-a'));
    a = await browserServer(join(root, 'web-a'));
    b = await browserServer(join(root, 'web-b'));
    servers.push(a.server, b.server);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('the API answers with a same-origin URL, which needs the token', async () => {
    const result = await dispatch(
      a.service.handlers,
      'sessions.export',
      { id: SESSION_ID, format: 'md' },
      context,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'download',
        url: `/export/sessions/${SESSION_ID}/md`,
        fileName: `mockloop-${SESSION_ID}.md`,
      },
    });
    const url = `${a.origin}/export/sessions/${SESSION_ID}/md`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${url}?token=wrong`)).status).toBe(401);
    const ok = await fetch(`${url}?token=${encodeURIComponent(a.token)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(
      `attachment; filename="mockloop-${SESSION_ID}.md"`,
    );
    expect(await ok.text()).toContain('- **Technical depth — 3/4**');
    // The cookie the page was served with works too.
    const cookie = await fetch(url, { headers: { cookie: `mockloop_token=${a.token}` } });
    expect(cookie.status).toBe(200);
  });

  it('unknown sessions and formats are 404s; the API says which session is missing', async () => {
    const q = `?token=${encodeURIComponent(a.token)}`;
    const missing = await fetch(`${a.origin}/export/sessions/nope/md${q}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/nope was not found/);
    expect((await fetch(`${a.origin}/export/sessions/${SESSION_ID}/exe${q}`)).status).toBe(404);
    expect((await fetch(`${a.origin}/export/sessions/..%2F..%2Fetc/md${q}`)).status).toBe(404);
    const result = await dispatch(
      a.service.handlers,
      'sessions.export',
      { id: 'nope', format: 'bundle' },
      context,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('a bundle downloads from one server and imports into another, byte for byte', async () => {
    const q = `?token=${encodeURIComponent(a.token)}`;
    const download = await fetch(`${a.origin}/export/sessions/${SESSION_ID}/bundle${q}`);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(Number(download.headers.get('content-length')));

    const upload = `${b.origin}/import/sessions?token=${encodeURIComponent(b.token)}`;
    const post = (origin?: string) =>
      fetch(upload, {
        method: 'POST',
        body: bytes,
        headers: origin ? { origin, 'content-type': 'application/octet-stream' } : {},
      });
    // Another site's page (or no Origin at all) cannot post a bundle.
    expect((await post('http://evil.example')).status).toBe(403);
    expect((await post()).status).toBe(403);
    const imported = await post(b.origin);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({ sessionId: SESSION_ID, title: 'Kafka internals' });
    const again = await post(b.origin);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(
      /already in this data folder/,
    );

    const original = await readFile(join(root, 'web-a', 'sessions', SESSION_ID, 'audio.wav'));
    const copy = await readFile(join(root, 'web-b', 'sessions', SESSION_ID, 'audio.wav'));
    expect(copy.equals(original)).toBe(true);
    const listed = await dispatch(b.service.handlers, 'sessions.list', {}, context);
    expect(listed).toMatchObject({ ok: true, value: { sessions: [{ id: SESSION_ID }] } });

    const refused = await fetch(upload, {
      method: 'POST',
      body: Buffer.alloc(2048, 1),
      headers: { origin: b.origin },
    });
    expect(refused.status).toBe(400);
    // Refused at its first entry, with megabytes still to come: the answer still arrives.
    const header = Buffer.alloc(512);
    new Header({
      path: '../../outside.json',
      mode: 0o644,
      size: 20 * 1024 * 1024,
      mtime: new Date(0),
      type: 'File',
    }).encode(header, 0);
    const hostile = Buffer.concat([header, Buffer.alloc(20 * 1024 * 1024)]);
    const early = await fetch(upload, {
      method: 'POST',
      body: hostile,
      headers: { origin: b.origin },
    });
    expect(early.status).toBe(400);
    expect(((await early.json()) as { error: string }).error).toMatch(/refused.*outside\.json/);
    expect(await readdir(join(root, 'web-b', 'sessions'))).toEqual([SESSION_ID]);
  });

  it('the API sends browser mode to the upload URL for an import', async () => {
    const result = await dispatch(b.service.handlers, 'sessions.import', {}, context);
    expect(result).toEqual({ ok: true, value: { kind: 'upload', url: '/import/sessions' } });
  });
});

describe('desktop: the backend writes where the save dialog says', () => {
  it('saves, cancels and imports through the injected dialogs and printer', async () => {
    const dataDir = join(root, 'desk');
    await writeDocumentedSession(dataDir);
    const saveTo: (string | null)[] = [join(root, 'desk-out.json'), null];
    const printed: string[] = [];
    const service = new MockloopService({
      dataDir,
      promptsDir,
      mode: 'electron',
      version: '0.0.0-test',
      keyVault: new MemoryKeyVault(),
      env: {},
      desktopFiles: {
        chooseSavePath: async () => saveTo.shift() ?? null,
        chooseBundle: async () => null,
        chooseModelFile: async () => null,
        printPdf: async (html) => {
          printed.push(html);
          return Buffer.from('%PDF-1.4 fake');
        },
      },
    });
    const saved = await service.handlers['sessions.export'](
      { id: SESSION_ID, format: 'json' },
      context,
    );
    expect(saved).toMatchObject({ kind: 'saved', path: join(root, 'desk-out.json') });
    expect(JSON.parse(await readFile(join(root, 'desk-out.json'), 'utf8'))).toMatchObject({
      format: 'mockloop-session-export',
    });
    const cancelled = await service.handlers['sessions.export'](
      { id: SESSION_ID, format: 'md' },
      context,
    );
    expect(cancelled).toEqual({ kind: 'cancelled' });
    expect(await service.handlers['sessions.import']({}, context)).toEqual({ kind: 'cancelled' });
    saveTo.push(join(root, 'desk-out.pdf'));
    await service.handlers['sessions.export']({ id: SESSION_ID, format: 'pdf' }, context);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('Technical depth — 3/4');
  });
});

describe('command line', () => {
  const lines = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, o: (l: string) => out.push(l), e: (l: string) => err.push(l) };
  };

  it('usage errors exit 2 with the usage', async () => {
    for (const argv of [
      [],
      ['frobnicate'],
      ['export', '--data', root],
      ['export', '--data', root, '--session', SESSION_ID, '--format', 'docx', '--out', 'x'],
      ['export', '--bogus'],
      ['import', '--data', root],
    ]) {
      const io = lines();
      expect(await runCli(argv, io.o, io.e), argv.join(' ')).toBe(EXIT_USAGE);
      expect(io.err.join('\n')).toContain('Usage:');
    }
  });

  it('exports every format, refuses to overwrite without --force, and fails clearly', async () => {
    const dataDir = join(root, 'cli-a');
    await writeDocumentedSession(dataDir);
    for (const format of ['md', 'json', 'bundle']) {
      const io = lines();
      const out = join(root, `cli.${format}`);
      const code = await runCli(
        ['export', '--data', dataDir, '--session', SESSION_ID, '--format', format, '--out', out],
        io.o,
        io.e,
      );
      expect(code, io.err.join('\n')).toBe(EXIT_OK);
      expect(io.out).toEqual([
        expect.stringMatching(new RegExp(`^Wrote .*cli\\.${format} \\(\\d+ bytes\\)$`)),
      ]);
    }
    const io = lines();
    const args = ['export', '--data', dataDir, '--session', SESSION_ID, '--format', 'md', '--out'];
    expect(await runCli([...args, join(root, 'cli.md')], io.o, io.e)).toBe(EXIT_FAILED);
    expect(io.err.join()).toMatch(/already exists.*--force/);
    expect(await runCli([...args, join(root, 'cli.md'), '--force'], io.o, io.e)).toBe(EXIT_OK);
    const missing = lines();
    expect(
      await runCli(
        [
          'export',
          '--data',
          dataDir,
          '--session',
          'nope',
          '--format',
          'md',
          '--out',
          join(root, 'n.md'),
        ],
        missing.o,
        missing.e,
      ),
    ).toBe(EXIT_FAILED);
    expect(missing.err.join()).toMatch(/nope was not found/);
  });

  it('npm run cli: export a bundle, import it elsewhere (0), import it again (1)', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(repo, 'scripts', 'cli.mjs'), ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const bundle = join(root, 'spawned.mockloop.tar');
    const exported = run([
      'export',
      '--data',
      join(root, 'cli-a'),
      '--session',
      SESSION_ID,
      '--format',
      'bundle',
      '--out',
      bundle,
    ]);
    expect(exported.status, exported.stderr).toBe(EXIT_OK);
    const imported = run(['import', '--data', join(root, 'cli-b'), '--file', bundle]);
    expect(imported.status, imported.stderr).toBe(EXIT_OK);
    expect(imported.stdout).toMatch(new RegExp(`^Imported session ${SESSION_ID} \\(\\d+ files\\)`));
    const again = run(['import', '--data', join(root, 'cli-b'), '--file', bundle]);
    expect(again.status).toBe(EXIT_FAILED);
    expect(again.stderr).toMatch(/already in this data folder/);
    const usage = run(['export']);
    expect(usage.status).toBe(EXIT_USAGE);
    return readdir(join(root, 'cli-b', 'sessions')).then((names) =>
      expect(names).toEqual([SESSION_ID]),
    );
  }, 90_000);
});
