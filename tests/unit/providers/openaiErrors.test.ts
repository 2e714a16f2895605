import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type OpenAI from 'openai';
import { ProviderError, type Stage } from '../../../src/providers/types';
import {
  createOpenAIClient,
  type OpenAIClientOptions,
} from '../../../src/providers/openai/openaiClient';
import { OpenAIInterviewer } from '../../../src/providers/openai/openaiInterviewer';
import { OpenAISpeechToText } from '../../../src/providers/openai/openaiSpeechToText';
import { OpenAITextToSpeech } from '../../../src/providers/openai/openaiTextToSpeech';
import {
  startFakeOpenAIServer,
  type FakeEndpoint,
  type FakeFault,
  type FakeOpenAIServer,
} from '../../support/fakeOpenAIServer';
import { contextWith, samplePack, turn } from './samplePack';

/** Personal data that must never appear in an error message. */
const SECRET = 'my-salary-is-123456';

const ENDPOINT: Record<Stage, FakeEndpoint> = {
  stt: 'transcriptions',
  interviewer: 'chat',
  tts: 'speech',
};

/** Runs one request of `stage` to completion and returns what it rejected with. */
async function failureOf(stage: Stage, client: OpenAI, signal?: AbortSignal): Promise<unknown> {
  try {
    if (stage === 'stt') {
      const stt = new OpenAISpeechToText({ client, model: 'gpt-4o-transcribe' });
      await stt.transcribe(new Int16Array(4800).fill(1000), { prompt: SECRET, signal });
    } else if (stage === 'interviewer') {
      const interviewer = new OpenAIInterviewer({ client, model: 'gpt-4.1-mini' });
      const context = contextWith([turn('t1', 'candidate', SECRET, 0, 2000)]);
      for await (const _delta of interviewer.reply(context, signal).text) {
        // drain
      }
    } else {
      const tts = new OpenAITextToSpeech({ client, model: 'gpt-4o-mini-tts' });
      for await (const _chunk of tts.synthesize(`Say ${SECRET}`, samplePack.persona, signal)) {
        // drain
      }
    }
  } catch (error) {
    return error;
  }
  throw new Error(`${stage} did not fail`);
}

function expectProviderError(
  error: unknown,
  expected: { stage: Stage; code: ProviderError['code']; message?: RegExp | string },
): void {
  expect(error).toBeInstanceOf(ProviderError);
  const providerError = error as ProviderError;
  expect({ stage: providerError.stage, code: providerError.code }).toEqual({
    stage: expected.stage,
    code: expected.code,
  });
  if (typeof expected.message === 'string') expect(providerError.message).toBe(expected.message);
  else if (expected.message) expect(providerError.message).toMatch(expected.message);
  expect(providerError.message).not.toContain(SECRET);
  expect(providerError.message).not.toContain('sk-test');
}

describe('OpenAI failures surface as actionable ProviderErrors', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ chunkDelayMs: 2 });
  });
  afterAll(() => server.close());

  const client = (options: Partial<OpenAIClientOptions> = {}) =>
    createOpenAIClient({
      apiKey: 'sk-test',
      baseURL: server.url,
      timeoutMs: 2000,
      maxRetries: 0,
      ...options,
    });

  const cases: {
    name: string;
    fault: FakeFault;
    code: ProviderError['code'];
    message: (stage: Stage) => RegExp | string;
    retryable: boolean;
  }[] = [
    {
      name: '401',
      fault: { kind: 'status', status: 401 },
      code: 'auth',
      message: () => 'The API key was rejected (401). Check the key in Settings.',
      retryable: false,
    },
    {
      name: '429 insufficient_quota',
      fault: { kind: 'status', status: 429, code: 'insufficient_quota' },
      code: 'quota',
      message: () => /run out of credit/,
      retryable: false,
    },
    {
      name: '429 rate limit',
      fault: { kind: 'status', status: 429, retryAfterSeconds: 7 },
      code: 'rate-limit',
      message: () => /rate-limited \(429\)\. The server asks to retry after 7 seconds/,
      retryable: true,
    },
    {
      name: '500',
      fault: { kind: 'status', status: 500 },
      code: 'server',
      message: () => /\(500\).*try again/,
      retryable: true,
    },
    {
      name: '404 endpoint',
      fault: { kind: 'status', status: 404 },
      code: 'not-found',
      message: (stage) =>
        new RegExp(`^This server has no /v1${endpointPath(stage)} endpoint \\(404\\)`),
      retryable: false,
    },
    {
      name: '404 model',
      fault: { kind: 'status', status: 404, code: 'model_not_found' },
      code: 'not-found',
      message: () => /has no model "[^"]+" \(404\)\. Choose another/,
      retryable: false,
    },
    {
      name: 'malformed JSON',
      fault: { kind: 'garbage' },
      code: 'bad-response',
      message: () => /not valid JSON|text instead of audio/,
      retryable: false,
    },
    {
      name: 'connection cut mid-response',
      fault: { kind: 'cut' },
      code: 'network',
      message: () => /connection to 127\.0\.0\.1:\d+ dropped/,
      retryable: true,
    },
  ];

  for (const stage of ['stt', 'interviewer', 'tts'] as const) {
    describe(stage, () => {
      for (const c of cases) {
        it(`maps ${c.name} to '${c.code}'`, async () => {
          server.injectFault(ENDPOINT[stage], c.fault);
          const error = await failureOf(stage, client());
          expectProviderError(error, { stage, code: c.code, message: c.message(stage) });
          expect((error as ProviderError).retryable).toBe(c.retryable);
        });
      }

      it('maps a server that never answers to a timeout, quickly', async () => {
        server.injectFault(ENDPOINT[stage], { kind: 'timeout' });
        const started = performance.now();
        const error = await failureOf(stage, client({ timeoutMs: 300 }));
        expectProviderError(error, { stage, code: 'timeout', message: /timed out/ });
        expect(performance.now() - started).toBeLessThan(1500);
      });

      it('maps a slow first byte beyond the timeout to a timeout', async () => {
        server.injectFault(ENDPOINT[stage], { kind: 'slow-first-byte', delayMs: 800 });
        const error = await failureOf(stage, client({ timeoutMs: 300 }));
        expectProviderError(error, { stage, code: 'timeout' });
      });

      it('maps a response that stalls after its headers to a timeout', async () => {
        const stalling = await startFakeOpenAIServer({ chunkDelayMs: 1500 });
        try {
          const started = performance.now();
          const error = await failureOf(stage, client({ baseURL: stalling.url, timeoutMs: 300 }));
          expectProviderError(error, { stage, code: 'timeout' });
          expect(performance.now() - started).toBeLessThan(1000);
        } finally {
          await stalling.close();
        }
      });

      it('retries a 500 and then succeeds', async () => {
        server.injectFault(ENDPOINT[stage], { kind: 'status', status: 500, retryAfterSeconds: 0 });
        await expect(failureOf(stage, client({ maxRetries: 1 }))).rejects.toThrow(/did not fail/);
      });

      it('maps an unreachable server to network, naming the base URL', async () => {
        const gone = await startFakeOpenAIServer();
        await gone.close();
        const error = await failureOf(stage, client({ baseURL: gone.url }));
        expectProviderError(error, {
          stage,
          code: 'network',
          message: `Could not reach ${gone.url}. Check your internet connection and the base URL in Settings.`,
        });
      });

      it('maps a caller abort to aborted', async () => {
        server.injectFault(ENDPOINT[stage], { kind: 'timeout' });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const error = await failureOf(stage, client(), controller.signal);
        expectProviderError(error, { stage, code: 'aborted' });
      });
    });
  }

  it('maps broken non-streamed transcriptions (whisper-1) the same way', async () => {
    const whisper = new OpenAISpeechToText({ client: client(), model: 'whisper-1' });
    const transcribe = () => whisper.transcribe(new Int16Array(2400), {});

    server.injectFault('transcriptions', { kind: 'garbage' });
    expectProviderError(await transcribe().catch((e: unknown) => e), {
      stage: 'stt',
      code: 'bad-response',
    });
    server.injectFault('transcriptions', { kind: 'cut' });
    expectProviderError(await transcribe().catch((e: unknown) => e), {
      stage: 'stt',
      code: 'network',
    });
  });

  it('rejects a wrong key at a server that checks it', async () => {
    const strict = await startFakeOpenAIServer({ apiKey: 'sk-right' });
    try {
      const error = await failureOf(
        'interviewer',
        createOpenAIClient({ apiKey: 'sk-wrong', baseURL: strict.url, timeoutMs: 2000 }),
      );
      expectProviderError(error, { stage: 'interviewer', code: 'auth' });
    } finally {
      await strict.close();
    }
  });

  it('says so when no API key is set anywhere', () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    try {
      expect(() => createOpenAIClient({ timeoutMs: 1000 })).toThrow(/No OpenAI API key is set/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('honours OPENAI_API_KEY and OPENAI_BASE_URL when options leave them out', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env');
    vi.stubEnv('OPENAI_BASE_URL', server.url);
    try {
      const fromEnv = createOpenAIClient({ apiKey: '', baseURL: '', timeoutMs: 2000 });
      expect(fromEnv.baseURL).toBe(server.url);
      await fromEnv.models.list();
      expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-from-env');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

function endpointPath(stage: Stage): string {
  return { stt: '/audio/transcriptions', interviewer: '/chat/completions', tts: '/audio/speech' }[
    stage
  ];
}
