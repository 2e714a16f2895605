import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedInterviewer } from '../../../src/providers/embedded/scriptedInterviewer';
import { createOpenAIClient } from '../../../src/providers/openai/openaiClient';
import { OpenAIInterviewer } from '../../../src/providers/openai/openaiInterviewer';
import { OpenAISpeechToText } from '../../../src/providers/openai/openaiSpeechToText';
import { OpenAITextToSpeech } from '../../../src/providers/openai/openaiTextToSpeech';
import { ResilientInterviewer } from '../../../src/providers/resilience/resilientInterviewer';
import { ResilientSpeechToText } from '../../../src/providers/resilience/resilientSpeechToText';
import { ResilientTextToSpeech } from '../../../src/providers/resilience/resilientTextToSpeech';
import {
  retryDelayMs,
  type RetryPolicy,
  type StageStatus,
} from '../../../src/providers/resilience/retryPolicy';
import { FakeTextToSpeech } from '../../../src/providers/testing/fakeProviders';
import { ProviderError } from '../../../src/providers/types';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';
import { contextWith, samplePack, turn } from './samplePack';

/** Records each wait instead of sleeping, so the retry schedule can be read back. */
function recordingPolicy(retries = 3): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return {
    retries,
    baseMs: 100,
    maxMs: 1000,
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
    waits,
  };
}

async function text(stream: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const d of stream) out += d;
  return out;
}

describe('retry delays', () => {
  const policy = recordingPolicy();
  it('back off exponentially with jitter, capped', () => {
    expect(retryDelayMs(1, new Error('x'), policy)).toBe(75);
    expect(retryDelayMs(2, new Error('x'), policy)).toBe(150);
    expect(retryDelayMs(10, new Error('x'), policy)).toBe(750);
  });
  it('never come sooner than the server’s retry-after', () => {
    const limited = new ProviderError('stt', 'rate-limit', 'slow down', true, 2000);
    expect(retryDelayMs(1, limited, policy)).toBe(2000);
  });
});

describe('providers under faults, through the real SDK', () => {
  let server: FakeOpenAIServer;
  afterEach(() => server.close());

  async function setUp() {
    server = await startFakeOpenAIServer();
    const client = createOpenAIClient({ apiKey: 'sk-test', baseURL: server.url, timeoutMs: 2000 });
    const statuses: StageStatus[] = [];
    return { client, statuses, onStatus: (s: StageStatus) => void statuses.push(s) };
  }

  it('transcription rate-limited with retry-after waits that long, then succeeds', async () => {
    const { client, statuses, onStatus } = await setUp();
    server.injectFault('transcriptions', { kind: 'status', status: 429, retryAfterSeconds: 2 });
    server.setScript({ transcriptions: ['The ISR shrinks when a follower lags.'] });
    const policy = recordingPolicy();
    const stt = new ResilientSpeechToText(
      new OpenAISpeechToText({ client, model: 'gpt-4o-transcribe' }),
      policy,
      onStatus,
    );
    expect(await stt.transcribe(new Int16Array(4800).fill(500), {})).toBe(
      'The ISR shrinks when a follower lags.',
    );
    expect(policy.waits).toEqual([2000]);
    expect(statuses.map((s) => s.state)).toEqual(['reconnecting', 'recovered']);
    expect(server.requestsTo('transcriptions')).toHaveLength(2);
  });

  it('a wrong key is not retried', async () => {
    const { statuses, onStatus } = await setUp();
    const client = createOpenAIClient({ apiKey: 'sk-wrong', baseURL: server.url, timeoutMs: 2000 });
    server.injectFault('transcriptions', { kind: 'status', status: 401 });
    const stt = new ResilientSpeechToText(
      new OpenAISpeechToText({ client, model: 'gpt-4o-transcribe' }),
      recordingPolicy(),
      onStatus,
    );
    await expect(stt.transcribe(new Int16Array(4800), {})).rejects.toMatchObject({ code: 'auth' });
    expect(server.requestsTo('transcriptions')).toHaveLength(1);
    expect(statuses).toEqual([]);
  });

  it('the interviewer retries 500s and slow first bytes before any words, then answers', async () => {
    const { client, statuses, onStatus } = await setUp();
    server.injectFault('chat', { kind: 'status', status: 500 }, 2);
    server.setScript({ chatReplies: ['Why is the index sparse?'] });
    const interviewer = new ResilientInterviewer(
      new OpenAIInterviewer({ client, model: 'gpt-4.1-mini' }),
      null,
      recordingPolicy(),
      onStatus,
    );
    expect(await text(interviewer.reply(contextWith([])).text)).toBe('Why is the index sparse?');
    expect(statuses.map((s) => s.state)).toEqual(['reconnecting', 'reconnecting', 'recovered']);
  });

  it('a reply cut mid-stream keeps the words already produced and does not throw', async () => {
    const { client, statuses, onStatus } = await setUp();
    server.injectFault('chat', { kind: 'cut' });
    server.setScript({
      chatReplies: ['Tell me how the high watermark moves when a follower falls out of the ISR.'],
    });
    const interviewer = new ResilientInterviewer(
      new OpenAIInterviewer({ client, model: 'gpt-4.1-mini' }),
      new ScriptedInterviewer(),
      recordingPolicy(),
      onStatus,
    );
    const said = await text(interviewer.reply(contextWith([])).text);
    expect(said.length).toBeGreaterThan(0);
    expect('Tell me how the high watermark moves when a follower falls out of the ISR.').toContain(
      said,
    );
    expect(statuses.at(-1)?.state).toBe('reconnecting');
  });

  it('when retries run out, the offline interviewer carries on from the last question', async () => {
    const { client, statuses, onStatus } = await setUp();
    server.injectFault('chat', { kind: 'status', status: 503 }, 10);
    const interviewer = new ResilientInterviewer(
      new OpenAIInterviewer({ client, model: 'gpt-4.1-mini' }),
      new ScriptedInterviewer(),
      recordingPolicy(2),
      onStatus,
    );
    const first = samplePack.questions[0]!;
    const turns = [
      turn('t1', 'interviewer', first.prompt, 0, 4000, { questionId: first.id }),
      turn('t2', 'candidate', 'Segments and a sparse index.', 4500, 9000),
    ];
    const reply = interviewer.reply(contextWith(turns));
    const said = await text(reply.text);
    expect(said).toContain(samplePack.questions[1]!.prompt);
    expect(reply.questionId).toBe(samplePack.questions[1]!.id);
    expect(statuses.at(-1)?.state).toBe('fallback');
    expect(server.requestsTo('chat')).toHaveLength(3);
  });

  it('speech that keeps failing is spoken by the fallback voice, sentence by sentence', async () => {
    const { client, statuses, onStatus } = await setUp();
    server.injectFault('speech', { kind: 'status', status: 500 }, 10);
    const tts = new ResilientTextToSpeech(
      new OpenAITextToSpeech({ client, model: 'gpt-4o-mini-tts' }),
      new FakeTextToSpeech(10),
      recordingPolicy(1),
      onStatus,
    );
    let samples = 0;
    for await (const chunk of tts.synthesize('What happens on failover?', samplePack.persona)) {
      samples += chunk.length;
    }
    expect(samples).toBe(Math.round('What happens on failover?'.length * 10 * 24));
    expect(statuses.map((s) => s.state)).toEqual(['reconnecting', 'fallback']);
  });
});
