import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src/api/contract';
import { MemoryKeyVault } from '../../../src/backend/keyVault';
import { MockloopService } from '../../../src/backend/mockloopService';
import { ApiKeyStore, type SafeStorageLike } from '../../../src/main/apiKeyStore';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const KEY = 'sk-test-secret-0123456789';

async function serviceWith(server: FakeOpenAIServer, envKey?: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'mockloop-keys-'));
  const service = new MockloopService({
    dataDir,
    promptsDir: join(ROOT, 'prompts'),
    mode: 'browser',
    version: 'test',
    keyVault: new MemoryKeyVault(),
    env: { apiKey: envKey, baseUrl: server.url },
  });
  const events: ApiEvent[] = [];
  const context = { clientId: 'c1', emit: (e: ApiEvent) => void events.push(e) };
  return { service, events, context };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

describe('API keys entered in Settings', () => {
  let server: FakeOpenAIServer;
  afterEach(() => server.close());

  it('are used by the backend but never sent back to the renderer', async () => {
    server = await startFakeOpenAIServer({ apiKey: KEY });
    const { service, events, context } = await serviceWith(server);
    const before = await service.handlers['settings.get']({}, context);
    expect(before).toMatchObject({
      apiKeyPresent: false,
      apiKeySource: 'none',
      apiKeyStorage: 'memory',
    });

    const responses: unknown[] = [
      await service.handlers['settings.setApiKey']({ key: KEY }, context),
    ];
    responses.push(await service.handlers['settings.get']({}, context));
    responses.push(await service.handlers['settings.checkConnection']({}, context));
    const started = await service.handlers['round.start'](
      { roundId: 'eng-kafka-internals' },
      context,
    );
    responses.push(started);
    await new Promise((r) => setTimeout(r, 300));
    await service.handlers['round.end']({ sessionId: started.sessionId }, context).then((r) =>
      responses.push(r),
    );
    responses.push(await service.handlers['sessions.get']({ id: started.sessionId }, context));

    expect(responses[0]).toMatchObject({ apiKeyPresent: true, apiKeySource: 'entered' });
    expect(responses[2]).toMatchObject({ ok: true });
    expect(started.providers.interviewer.kind).toBe('openai');
    // Nothing that reaches the renderer, nor the saved session, holds the key.
    const sessionFile = await readFile(
      join(
        (await service.handlers['app.info']({}, context)).dataDir,
        'sessions',
        started.sessionId,
        'session.json',
      ),
      'utf8',
    );
    for (const text of [JSON.stringify(responses), JSON.stringify(events), sessionFile]) {
      expect(text).not.toContain(KEY);
    }
    // The server saw it.
    expect(server.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it('an entered key wins over OPENAI_API_KEY, and removing it falls back to the environment', async () => {
    server = await startFakeOpenAIServer();
    const { service, context } = await serviceWith(server, 'sk-from-env');
    expect(await service.handlers['settings.get']({}, context)).toMatchObject({
      apiKeySource: 'environment',
    });
    await service.handlers['settings.setApiKey']({ key: KEY }, context);
    await service.handlers['settings.checkConnection']({}, context);
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(await service.handlers['settings.setApiKey']({ key: null }, context)).toMatchObject({
      apiKeySource: 'environment',
    });
  });
});

describe('the connection check', () => {
  let server: FakeOpenAIServer;
  afterEach(() => server?.close());

  async function check(fault?: Parameters<FakeOpenAIServer['injectFault']>) {
    server = await startFakeOpenAIServer({ apiKey: KEY });
    const { service, context } = await serviceWith(server);
    await service.handlers['settings.setApiKey']({ key: KEY }, context);
    if (fault) server.injectFault(...fault);
    return service.handlers['settings.checkConnection']({}, context);
  }

  it('reports the models the server lists when all is well', async () => {
    const result = await check();
    expect(result.ok).toBe(true);
    expect(result.models).toContain('gpt-4o-transcribe');
  });

  it('asks a model server on this computer for one token the way all of them honour', async () => {
    await check();
    const ping = server.requestsTo('chat').at(-1)?.json;
    // Ollama ignores max_completion_tokens and would write a whole reply.
    expect(ping).toMatchObject({ max_tokens: 1 });
    expect(ping).not.toHaveProperty('max_completion_tokens');
  });

  it('tells a wrong key, no credit, a rate limit and no network apart', async () => {
    const wrong = await check(['models', { kind: 'status', status: 401 }]);
    expect(wrong).toMatchObject({ ok: false, code: 'auth' });
    expect(wrong.message).toMatch(/key was rejected/);
    await server.close();

    const quota = await check([
      'chat',
      { kind: 'status', status: 429, code: 'insufficient_quota' },
    ]);
    expect(quota).toMatchObject({ ok: false, code: 'quota' });
    expect(quota.message).toMatch(/credit/);
    await server.close();

    const limited = await check(['chat', { kind: 'status', status: 429, retryAfterSeconds: 3 }]);
    expect(limited).toMatchObject({ ok: false, code: 'rate-limit' });
    expect(limited.message).toMatch(/3 seconds/);
    await server.close();

    server = await startFakeOpenAIServer();
    const dataDir = await mkdtemp(join(tmpdir(), 'mockloop-keys-'));
    const offline = new MockloopService({
      dataDir,
      promptsDir: join(ROOT, 'prompts'),
      mode: 'browser',
      version: 'test',
      keyVault: new MemoryKeyVault(),
      env: { apiKey: KEY, baseUrl: `http://127.0.0.1:${await closedPort()}/v1` },
    });
    const none = await offline.handlers['settings.checkConnection'](
      {},
      { clientId: 'x', emit: () => undefined },
    );
    expect(none).toMatchObject({ ok: false, code: 'network' });
    expect(none.message).toMatch(/Could not reach/);
  });
});

describe('the desktop key store', () => {
  /** A stand-in for Electron's safeStorage: reversible, but never the plain key on disk. */
  const fakeSafeStorage = (backend = 'gnome_libsecret'): SafeStorageLike => ({
    isEncryptionAvailable: () => true,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
    decryptString: (bytes) => Buffer.from([...bytes].map((b) => b ^ 0x5a)).toString(),
    getSelectedStorageBackend: () => backend,
  });

  it('keeps the key encrypted at rest and reads it back in a new process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mockloop-keystore-'));
    const store = new ApiKeyStore(dir, fakeSafeStorage());
    await store.set(KEY);
    const onDisk = await readFile(join(dir, 'openai-key.bin'));
    expect(onDisk.toString('latin1')).not.toContain(KEY);
    const again = new ApiKeyStore(dir, fakeSafeStorage());
    expect(await again.load()).toBe(KEY);
    expect(again.storage()).toBe('encrypted');
    await again.set(null);
    expect(await new ApiKeyStore(dir, fakeSafeStorage()).load()).toBeUndefined();
  });

  it('says so when Linux falls back to plain-text storage', () => {
    expect(new ApiKeyStore('/nowhere', fakeSafeStorage('basic_text')).storage()).toBe('plain-text');
  });
});
