import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelsBackend } from '../../../src/backend/modelsBackend';
import {
  createRoundProviders,
  describeProviders,
  resolveChoices,
} from '../../../src/backend/providerSelection';
import { LOCAL_MODELS } from '../../../src/core/localModels';
import { defaultSettings, applySettingsPatch } from '../../../src/core/settings';
import { ModelStore } from '../../../src/storage/modelStore';
import { staysOnThisComputer } from '../../../renderer/state/privacy';
import { startFakeOpenAIServer } from '../../support/fakeOpenAIServer';
import { testService } from '../../support/testService';
import { samplePack } from '../providers/samplePack';

const dirs: string[] = [];
const ctx = { clientId: 'c1', emit: () => undefined };
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mockloop-localmodels-'));
  dirs.push(d);
  return d;
}

describe('choosing local speech-to-text', () => {
  const model = { id: 'whisper-base.en', path: '/data/models/ggml-base.en.bin' };

  it('is the offline default once a model is installed, and none before', () => {
    const settings = defaultSettings();
    const offline = { apiKey: undefined, envBaseUrl: undefined };
    expect(resolveChoices(settings, offline).stt).toBe('none');
    expect(resolveChoices(settings, { ...offline, localModels: [model] }).stt).toBe('local');
    expect(describeProviders(settings, { ...offline, localModels: [model] }).stt).toEqual({
      kind: 'local',
      model: 'whisper-base.en',
    });
    // With a key, auto stays on the OpenAI cascade; `local` picks it explicitly.
    const keyed = { apiKey: 'sk-x', envBaseUrl: undefined, localModels: [model] };
    expect(resolveChoices(settings, keyed).stt).toBe('openai');
    const local = applySettingsPatch(settings, { providers: { stt: 'local' } });
    expect(resolveChoices(local, keyed).stt).toBe('local');
    // Chosen without a model installed: the round runs without a transcript.
    expect(resolveChoices(local, offline).stt).toBe('none');
  });

  it('gives a round the local engine, transcribing piece by piece', () => {
    const env = { apiKey: undefined, envBaseUrl: undefined, localModels: [model] };
    const whisper = { transcribe: vi.fn(), probe: vi.fn(), close: vi.fn() };
    const providers = createRoundProviders(defaultSettings(), env, samplePack, {
      onStatus: () => undefined,
      whisper,
    });
    expect(providers.stt?.info).toEqual({ kind: 'local', model: 'whisper-base.en' });
    expect(providers.interviewer.info.kind).toBe('embedded');
    // Without a host to run it in, nothing pretends to transcribe.
    expect(createRoundProviders(defaultSettings(), env, samplePack).stt).toBeNull();
  });
});

describe('the models in Settings', () => {
  it('lists the catalog, installs an existing file, and removes it', async () => {
    const dir = dataDir();
    const store = new ModelStore(dir);
    const backend = new ModelsBackend({
      store,
      settings: async () => defaultSettings(),
      engine: async () => null,
    });
    const listed = await backend.handlers['models.list']({}, ctx);
    expect(listed.models.map((m) => m.id)).toEqual(LOCAL_MODELS.map((m) => m.id));
    expect(listed.models.every((m) => !m.installed)).toBe(true);
    expect(listed.inUse).toBeNull();
    expect(listed.dir).toBe(join(dir, 'models'));

    const mine = join(dir, 'ggml-my-model.bin');
    writeFileSync(mine, Buffer.concat([Buffer.from([0x6c, 0x6d, 0x67, 0x67]), Buffer.alloc(64)]));
    const after = await backend.handlers['models.import']({ path: mine }, ctx);
    expect(after.inUse).toBe('imported-ggml-my-model');
    expect(after.models.at(-1)).toMatchObject({
      installed: true,
      name: 'ggml-my-model (your file)',
    });

    const notModel = join(dir, 'notes.txt');
    writeFileSync(notModel, 'hello');
    await expect(backend.handlers['models.import']({ path: notModel }, ctx)).rejects.toThrow(
      /not a whisper.cpp model/,
    );
    const removed = await backend.handlers['models.remove']({ id: 'imported-ggml-my-model' }, ctx);
    expect(removed.inUse).toBeNull();
  });

  it('takes a file picked in the system dialog (desktop), and nothing when cancelled', async () => {
    const dir = dataDir();
    const mine = join(dir, 'ggml-picked.bin');
    writeFileSync(mine, Buffer.concat([Buffer.from([0x6c, 0x6d, 0x67, 0x67]), Buffer.alloc(64)]));
    const answers: (string | null)[] = [null, mine];
    const asked: string[] = [];
    const backend = new ModelsBackend({
      store: new ModelStore(dir),
      settings: async () => defaultSettings(),
      engine: async () => null,
      chooseFile: async (clientId) => {
        asked.push(clientId);
        return answers.shift() ?? null;
      },
    });
    expect((await backend.handlers['models.list']({}, ctx)).canChooseFile).toBe(true);
    expect((await backend.handlers['models.choose']({}, ctx)).inUse).toBeNull();
    expect((await backend.handlers['models.choose']({}, ctx)).inUse).toBe('imported-ggml-picked');
    expect(asked).toEqual(['c1', 'c1']);

    // Browser mode has no dialog: the path is typed instead.
    const typed = new ModelsBackend({
      store: new ModelStore(dir),
      settings: async () => defaultSettings(),
      engine: async () => null,
    });
    expect((await typed.handlers['models.list']({}, ctx)).canChooseFile).toBe(false);
    await expect(typed.handlers['models.choose']({}, ctx)).rejects.toThrow(/Type the path/);
  });

  it('downloads with progress shown in the list, and cancels keeping the part', async () => {
    const dir = dataDir();
    const model = LOCAL_MODELS[0]!;
    // A stand-in for the model server: the real bytes are not reachable here, so the
    // catalog entry is served by a fetch that streams slowly and can be cancelled.
    let release: () => void = () => undefined;
    const slowFetch: typeof fetch = async (_url, init) =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            if (init?.signal?.aborted) return controller.error(init.signal.reason);
            controller.enqueue(new Uint8Array(1 << 20));
            await new Promise<void>((resolve) => {
              release = resolve;
              setTimeout(resolve, 20);
            });
          },
        }),
        { status: 200 },
      );
    const backend = new ModelsBackend({
      store: new ModelStore(dir),
      settings: async () => defaultSettings(),
      engine: async () => null,
      fetch: slowFetch,
    });
    await backend.handlers['models.download']({ id: model.id }, ctx);
    await vi.waitFor(async () => {
      const view = await backend.handlers['models.list']({}, ctx);
      expect(view.models[0]!.download?.receivedBytes).toBeGreaterThan(1 << 20);
    });
    await backend.handlers['models.cancel']({ id: model.id }, ctx);
    release();
    await vi.waitFor(async () => {
      const view = await backend.handlers['models.list']({}, ctx);
      expect(view.models[0]!.download?.status).toBe('cancelled');
      expect(view.models[0]!.partialBytes).toBeGreaterThan(0);
      expect(view.models[0]!.installed).toBe(false);
    });
  });

  it('fails a download whose bytes do not match the pinned checksum, installing nothing', async () => {
    const dir = dataDir();
    const model = LOCAL_MODELS[0]!;
    const wrong = Buffer.alloc(model.bytes);
    expect(createHash('sha256').update(wrong).digest('hex')).not.toBe(model.sha256);
    const backend = new ModelsBackend({
      store: new ModelStore(dir),
      settings: async () => defaultSettings(),
      engine: async () => null,
      fetch: async () => new Response(wrong, { status: 200 }),
    });
    await backend.handlers['models.download']({ id: model.id }, ctx);
    await vi.waitFor(
      async () => {
        const view = await backend.handlers['models.list']({}, ctx);
        expect(view.models[0]!.download?.status).toBe('failed');
        expect(view.models[0]!.download?.error).toMatch(/checksum/);
        expect(view.models[0]!.installed).toBe(false);
        expect(view.models[0]!.partialBytes).toBe(0);
      },
      { timeout: 10_000 },
    );
  });
});

describe('local models all the way', () => {
  it('one choice: local speech-to-text, a model server on this computer, the embedded voice', async () => {
    const server = await startFakeOpenAIServer();
    const { svc, dataDir: dir } = await testService({});
    dirs.push(dir);
    try {
      mkdirSync(join(dir, 'models'), { recursive: true });
      writeFileSync(
        join(dir, 'models', 'imported-mine.bin'),
        Buffer.concat([Buffer.from([0x6c, 0x6d, 0x67, 0x67]), Buffer.alloc(16)]),
      );
      const context = { clientId: 'c1', emit: () => undefined };
      const view = await svc.handlers['settings.update'](
        {
          providers: { stt: 'local', interviewer: 'openai', tts: 'embedded' },
          openai: { baseUrl: server.url, interviewerModel: 'llama3.1:8b' },
        },
        context,
      );
      expect(view.effective).toEqual({
        stt: { kind: 'local', model: 'imported-mine' },
        interviewer: { kind: 'openai', model: 'llama3.1:8b' },
        tts: { kind: 'embedded', model: 'flite (WASM)' },
      });
      expect(staysOnThisComputer(view)).toBe(true);
      const check = await svc.handlers['settings.checkConnection']({}, context);
      expect(check.ok).toBe(true);
      expect(check.message).toContain('llama3.1:8b');
      // No key was needed and none was sent anywhere else.
      expect(server.requests.every((r) => r.headers.authorization === 'Bearer local-server')).toBe(
        true,
      );
    } finally {
      await server.close();
    }
  });
});

describe('where speech recognition runs', () => {
  const installModel = (dir: string) => {
    mkdirSync(join(dir, 'models'), { recursive: true });
    writeFileSync(
      join(dir, 'models', 'imported-mine.bin'),
      Buffer.concat([Buffer.from([0x6c, 0x6d, 0x67, 0x67]), Buffer.alloc(16)]),
    );
  };
  const context = { clientId: 'c1', emit: () => undefined };

  it('offers nothing local in a build that cannot run the engine, model or not', async () => {
    const { svc, dataDir: dir } = await testService(
      { providers: { stt: 'local' } },
      { whisperRunner: null },
    );
    dirs.push(dir);
    installModel(dir);
    const models = await svc.handlers['models.list']({}, context);
    expect(models.engineAvailable).toBe(false);
    expect(models.inUse).toBeNull();
    const view = await svc.handlers['settings.get']({}, context);
    expect(view.effective.stt).toBeNull();
  });

  it('says why when whisper.cpp cannot start here, and offers no local model then', async () => {
    const problem =
      'Speech recognition cannot start on this computer: libgomp.so.1: cannot open shared object file. Reinstall Mockloop.';
    const runner = {
      transcribe: vi.fn(),
      probe: vi.fn<() => Promise<string | null>>(async () => problem),
      close: vi.fn(),
    };
    const { svc, dataDir: dir } = await testService({}, { whisperRunner: runner });
    dirs.push(dir);
    installModel(dir);
    const models = await svc.handlers['models.list']({}, context);
    expect(models).toMatchObject({ engineAvailable: false, engineProblem: problem, inUse: null });
    const view = await svc.handlers['settings.get']({}, context);
    expect(view.effective.stt).toBeNull();
    // A failure is asked again (the host may have died); a success is kept.
    runner.probe.mockResolvedValue(null);
    expect((await svc.handlers['models.list']({}, context)).engineAvailable).toBe(true);
    expect((await svc.handlers['settings.get']({}, context)).effective.stt).toEqual({
      kind: 'local',
      model: 'imported-mine',
    });
    await svc.handlers['models.list']({}, context);
    expect(runner.probe).toHaveBeenCalledTimes(3);
  });

  it('uses the runner it is given (the desktop’s utility process) and stops it on shutdown', async () => {
    const runner = { transcribe: vi.fn(), probe: vi.fn(async () => null), close: vi.fn() };
    const { svc, dataDir: dir } = await testService({}, { whisperRunner: runner });
    dirs.push(dir);
    installModel(dir);
    const models = await svc.handlers['models.list']({}, context);
    expect(models.engineAvailable).toBe(true);
    expect(models.inUse).toBe('imported-mine');
    const view = await svc.handlers['settings.get']({}, context);
    expect(view.effective.stt).toEqual({ kind: 'local', model: 'imported-mine' });
    await svc.shutdown();
    expect(runner.close).toHaveBeenCalledOnce();
  });
});
