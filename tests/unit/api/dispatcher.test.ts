import { describe, expect, it, vi } from 'vitest';
import { apiRequests, type ApiMethod, type ApiResult } from '../../../src/api/contract';
import {
  ApiError,
  dispatch,
  type ApiHandlers,
  type CallContext,
} from '../../../src/api/dispatcher';

/**
 * fast-check is not installed, so generated inputs come from a small seeded generator
 * (mulberry32): every run sees the same cases, and a failure names its seed.
 */
function rng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const METHODS = Object.keys(apiRequests) as ApiMethod[];
const VALID_SESSION = 'abc_123-x';

function stubHandlers() {
  const calls: { method: string; request: unknown }[] = [];
  const handlers = Object.fromEntries(
    METHODS.map((m) => [
      m,
      vi.fn(async (request: unknown) => {
        calls.push({ method: m, request });
        return { handled: m };
      }),
    ]),
  ) as unknown as ApiHandlers;
  return { handlers, calls };
}

const context: CallContext = { clientId: 'test', emit: () => undefined };

async function call(method: unknown, payload: unknown, handlers = stubHandlers().handlers) {
  return dispatch(handlers, method, payload, context);
}

function expectBadRequest(result: ApiResult<unknown>, ...mentions: string[]) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('bad-request');
  for (const m of mentions) expect(result.error.message).toContain(m);
}

/** A valid request for each method, to break one field at a time. */
const valid: Record<ApiMethod, Record<string, unknown>> = {
  'app.info': {},
  'rounds.list': {},
  'settings.get': {},
  'settings.update': { turnTaking: { endOfTurnSilenceMs: 1500 } },
  'settings.setApiKey': { key: 'sk-test-0123' },
  'settings.checkConnection': {},
  'loops.start': { loopId: 'confluent-engineering' },
  'loops.get': { id: VALID_SESSION },
  'loops.debrief': { id: VALID_SESSION },
  'sessions.list': {},
  'sessions.get': { id: VALID_SESSION },
  'round.start': { roundId: 'eng-kafka-internals' },
  'round.audio': { sessionId: VALID_SESSION, pcm: new Uint8Array(9600) },
  'round.vad': { sessionId: VALID_SESSION, type: 'speech-start', atMs: 1200 },
  'round.control': { sessionId: VALID_SESSION, action: 'done', atMs: 0 },
  'round.playback': {
    sessionId: VALID_SESSION,
    utteranceId: 'u1',
    event: 'interrupted',
    atMs: 5,
    playedSamples: 2400,
  },
  'round.end': { sessionId: VALID_SESSION },
  'replay.open': { id: VALID_SESSION },
  'annotations.add': {
    sessionId: VALID_SESSION,
    startMs: 1000,
    endMs: 4000,
    tag: 'rambling',
    note: 'Lost the thread here.',
  },
  'annotations.update': { sessionId: VALID_SESSION, id: 'n0123abcd', revision: 1, note: 'x' },
  'annotations.delete': { sessionId: VALID_SESSION, id: 'n0123abcd' },
  'attempts.start': { sessionId: VALID_SESSION, questionId: 'log-segments' },
  'attempts.compare': { sessionId: VALID_SESSION, attempt: 1 },
  'sessions.export': { id: VALID_SESSION, format: 'pdf' },
  'sessions.import': {},
  'realtime.events': { sessionId: VALID_SESSION, connection: 1, events: ['{"type":"x"}'] },
  'scorecards.list': { sessionId: VALID_SESSION },
  'scorecards.score': { sessionId: VALID_SESSION, kind: 'model', model: 'gpt-test' },
  'scorecards.saveSelf': {
    sessionId: VALID_SESSION,
    criteria: [{ criterionId: 'depth', score: null, note: '' }],
  },
  'progress.get': {},
  'workspace.open': { sessionId: VALID_SESSION },
  'round.workspace': {
    sessionId: VALID_SESSION,
    atMs: 1000,
    code: { language: 'python', code: 'print(1)' },
  },
  'workspace.history': { sessionId: VALID_SESSION },
  'models.list': {},
  'models.download': { id: 'whisper-base.en' },
  'models.cancel': { id: 'whisper-base.en' },
  'models.import': { path: '/home/me/ggml-base.en.bin' },
  'models.choose': {},
  'models.remove': { id: 'whisper-base.en' },
};

describe('dispatch: method names', () => {
  it.each([
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '',
    'rounds.list ',
    'Rounds.list',
    'round',
    'round.audio.extra',
  ])('rejects %j as an unknown method without calling any handler', async (method) => {
    const { handlers, calls } = stubHandlers();
    const result = await call(method, {}, handlers);
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'Unknown API method.' },
    });
    expect(calls).toEqual([]);
  });

  it.each([null, undefined, 42, true, {}, ['rounds.list'], Symbol('rounds.list')])(
    'rejects a non-string method %s',
    async (method) => {
      expectBadRequest(await call(method, {}), 'Unknown API method');
    },
  );

  it('routes every contract method to its own handler with the parsed request', async () => {
    for (const method of METHODS) {
      const { handlers, calls } = stubHandlers();
      const result = await call(method, valid[method], handlers);
      expect(result).toEqual({ ok: true, value: { handled: method } });
      expect(calls).toHaveLength(1);
      expect(calls[0]?.method).toBe(method);
    }
  });

  it('treats a missing payload as an empty request', async () => {
    expect((await call('rounds.list', undefined)).ok).toBe(true);
    expect((await call('app.info', null)).ok).toBe(true);
    expectBadRequest(await call('round.end', undefined), 'round.end', 'sessionId');
  });
});

describe('dispatch: invalid payloads', () => {
  const cases: [string, ApiMethod, Record<string, unknown>, string[]][] = [
    ['extra key on an empty request', 'rounds.list', { evil: 1 }, ['evil']],
    ['extra key', 'round.vad', { ...valid['round.vad'], extra: true }, ['extra']],
    ['atMs as text', 'round.vad', { ...valid['round.vad'], atMs: '5' }, ['atMs']],
    ['negative atMs', 'round.control', { ...valid['round.control'], atMs: -1 }, ['atMs']],
    ['infinite atMs', 'round.control', { ...valid['round.control'], atMs: Infinity }, ['atMs']],
    ['NaN atMs', 'round.vad', { ...valid['round.vad'], atMs: NaN }, ['atMs']],
    ['atMs past a day', 'round.vad', { ...valid['round.vad'], atMs: 86_400_001 }, ['atMs']],
    ['unknown vad type', 'round.vad', { ...valid['round.vad'], type: 'cough' }, ['type']],
    ['unknown action', 'round.control', { ...valid['round.control'], action: 'skip' }, ['action']],
    [
      'fractional playedSamples',
      'round.playback',
      { ...valid['round.playback'], playedSamples: 1.5 },
      ['playedSamples'],
    ],
    [
      'long utterance id',
      'round.playback',
      { ...valid['round.playback'], utteranceId: 'u'.repeat(41) },
      ['utteranceId'],
    ],
    ['empty round id', 'round.start', { roundId: '' }, ['roundId']],
    ['round id as number', 'round.start', { roundId: 7 }, ['roundId']],
    ['missing session id', 'round.end', {}, ['sessionId']],
    [
      'oversized audio',
      'round.audio',
      { sessionId: VALID_SESSION, pcm: new Uint8Array(192_004) },
      ['pcm', 'too large'],
    ],
    [
      'odd byte length',
      'round.audio',
      { sessionId: VALID_SESSION, pcm: new Uint8Array(6) },
      ['pcm', 'whole stereo'],
    ],
    [
      'audio as number array',
      'round.audio',
      { sessionId: VALID_SESSION, pcm: [0, 0, 0, 0] },
      ['pcm', 'binary'],
    ],
    [
      'audio as ArrayBuffer',
      'round.audio',
      { sessionId: VALID_SESSION, pcm: new ArrayBuffer(4) },
      ['pcm', 'binary'],
    ],
    ['unknown provider', 'settings.update', { providers: { tts: 'espeak' } }, ['providers.tts']],
    [
      'silence out of range',
      'settings.update',
      { turnTaking: { endOfTurnSilenceMs: 50 } },
      ['turnTaking.endOfTurnSilenceMs'],
    ],
  ];

  it.each(cases)('rejects %s, naming the field', async (_name, method, payload, mentions) => {
    const { handlers, calls } = stubHandlers();
    expectBadRequest(
      await call(method, payload, handlers),
      `Invalid ${method} request`,
      ...mentions,
    );
    expect(calls).toEqual([]);
  });

  it('accepts audio at exactly the size limit', async () => {
    const result = await call('round.audio', {
      sessionId: VALID_SESSION,
      pcm: new Uint8Array(192_000),
    });
    expect(result.ok).toBe(true);
  });

  it.each([
    '../x',
    '..',
    '/abs',
    'a/b',
    'a\\b',
    'a\0b',
    '.hidden',
    '-lead',
    '_lead',
    'ünïcode',
    'a b',
    'a:b',
    '',
    'x'.repeat(81),
    'abc\n',
  ])('rejects the session id %j, naming the field', async (id) => {
    const { handlers, calls } = stubHandlers();
    expectBadRequest(await call('round.end', { sessionId: id }, handlers), 'sessionId');
    expectBadRequest(await call('sessions.get', { id }, handlers), 'id');
    expect(calls).toEqual([]);
  });

  it.each(['string', 42, true, [1, 2]])('rejects a non-object payload %j', async (payload) => {
    expectBadRequest(await call('round.end', payload), 'Invalid round.end request');
  });

  it('rejects unknown keys in a settings patch, at any level, including __proto__', async () => {
    const { handlers, calls } = stubHandlers();
    expectBadRequest(
      await call('settings.update', { providers: { tts: 'embedded', apiKey: 'sk-x' } }, handlers),
      'providers',
      'apiKey',
    );
    expectBadRequest(await call('settings.update', { theme: 'dark' }, handlers), 'theme');
    // As a decoded frame would carry it: an own "__proto__" key.
    const polluted = JSON.parse('{"__proto__": {"polluted": true}, "providers": {"tts": "fake"}}');
    expectBadRequest(await call('settings.update', polluted, handlers), '__proto__');
    expect(calls).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('dispatch: handler failures', () => {
  function failing(error: unknown): ApiHandlers {
    const { handlers } = stubHandlers();
    return {
      ...handlers,
      'rounds.list': async () => {
        throw error;
      },
    };
  }

  it.each([
    ['not-found', 'No round pack with id "x".'],
    ['forbidden', 'That round belongs to another window.'],
    ['bad-request', 'Nope.'],
    ['failed', 'Disk full.'],
  ] as const)('passes an ApiError %s through with its message', async (code, message) => {
    expect(await call('rounds.list', {}, failing(new ApiError(code, message)))).toEqual({
      ok: false,
      error: { code, message },
    });
  });

  it('turns an unexpected error into failed with its message', async () => {
    expect(await call('rounds.list', {}, failing(new TypeError('x is undefined')))).toEqual({
      ok: false,
      error: { code: 'failed', message: 'x is undefined' },
    });
  });

  it('turns a thrown non-error into failed without leaking it', async () => {
    for (const thrown of ['secret string', 42, null, undefined, { code: 'forbidden' }]) {
      expect(await call('rounds.list', {}, failing(thrown))).toEqual({
        ok: false,
        error: { code: 'failed', message: 'Unexpected error' },
      });
    }
  });

  it('catches a handler that throws synchronously', async () => {
    const { handlers } = stubHandlers();
    const sync = {
      ...handlers,
      'app.info': (() => {
        throw new Error('boom');
      }) as unknown as ApiHandlers['app.info'],
    };
    await expect(call('app.info', {}, sync)).resolves.toEqual({
      ok: false,
      error: { code: 'failed', message: 'boom' },
    });
  });
});

describe('dispatch: generated inputs', () => {
  function randomValue(r: Rng, depth = 0): unknown {
    const kind = r.int(depth > 2 ? 9 : 12);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return undefined;
      case 2:
        return r.next() < 0.5;
      case 3:
        return r.pick([0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 86_400_001, 1e9 + 1]);
      case 4:
        return r.int(100_000);
      case 5:
        return r.pick(['', ' ', '../etc', '\0', 'ü', 'x'.repeat(300), 'u1', VALID_SESSION]);
      case 6:
        return new Uint8Array(r.pick([0, 1, 3, 4, 6, 9600, 192_000, 192_001, 192_004]));
      case 7:
        return r.pick(['speech-start', 'speech-end', 'done', 'hold-start', 'started', 'ended']);
      case 8:
        return r.pick(['auto', 'openai', 'embedded', 'fake', 'none']);
      case 9:
        return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
      default: {
        const keys = [
          'sessionId',
          'id',
          'roundId',
          'pcm',
          'type',
          'atMs',
          'action',
          'utteranceId',
          'event',
          'playedSamples',
          'providers',
          'openai',
          'turnTaking',
          'tts',
          'stt',
          'endOfTurnSilenceMs',
          '__proto__',
          'constructor',
          'extra',
        ];
        const out: Record<string, unknown> = {};
        for (let i = r.int(6); i > 0; i--) {
          Object.defineProperty(out, r.pick(keys), {
            value: randomValue(r, depth + 1),
            enumerable: true,
            configurable: true,
            writable: true,
          });
        }
        return out;
      }
    }
  }

  it('always resolves to a result, and calls a handler only for a valid request', async () => {
    const names = [...METHODS, '__proto__', 'constructor', 'toString', 'nope', ''];
    let accepted = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const r = rng(seed);
      const method = r.pick(names);
      const payload =
        r.next() < 0.5 && method in valid
          ? {
              ...valid[method as ApiMethod],
              [r.pick(['sessionId', 'atMs', 'pcm', 'x'])]: randomValue(r),
            }
          : randomValue(r);
      const { handlers, calls } = stubHandlers();
      const result = await dispatch(handlers, method, payload, context).catch((error: unknown) => {
        throw new Error(`seed ${seed}: dispatch rejected: ${String(error)}`);
      });
      expect(typeof result.ok, `seed ${seed}`).toBe('boolean');
      if (result.ok) {
        accepted++;
        expect(calls, `seed ${seed}`).toHaveLength(1);
        expect(calls[0]?.method, `seed ${seed}`).toBe(method);
      } else {
        expect(calls, `seed ${seed}`).toEqual([]);
        expect(result.error.code, `seed ${seed}`).toBe('bad-request');
        expect(result.error.message.length, `seed ${seed}`).toBeGreaterThan(0);
      }
    }
    // The generator reaches both sides.
    expect(accepted).toBeGreaterThan(10);
    expect(accepted).toBeLessThan(570);
  });

  it('accepts exactly the session ids that are safe file names', async () => {
    const head = 'abcXYZ019';
    const safe = 'abcXYZ019_-';
    const unsafe = ['.', '/', '\\', '\0', ' ', ':', 'ü', '字', '\n', '%', '~', '*'];
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const length = 1 + r.int(90);
      let id = r.pick([...head]);
      for (let i = 1; i < length; i++) id += r.pick([...safe]);
      const corrupt = r.next() < 0.5;
      if (corrupt) {
        const at = r.int(id.length + 1);
        id = id.slice(0, at) + r.pick(unsafe) + id.slice(at);
      }
      const shouldPass = !corrupt && id.length <= 80;
      const { handlers, calls } = stubHandlers();
      const result = await dispatch(handlers, 'round.end', { sessionId: id }, context);
      expect(result.ok, `seed ${seed}: ${JSON.stringify(id)}`).toBe(shouldPass);
      expect(calls.length).toBe(shouldPass ? 1 : 0);
    }
  });
});
