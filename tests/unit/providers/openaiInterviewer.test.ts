import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIClient } from '../../../src/providers/openai/openaiClient';
import { OpenAIInterviewer } from '../../../src/providers/openai/openaiInterviewer';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';
import { contextWith, turn } from './samplePack';

async function collect(text: AsyncIterable<string>): Promise<{ deltas: string[]; at: number[] }> {
  const deltas: string[] = [];
  const at: number[] = [];
  const start = performance.now();
  for await (const delta of text) {
    deltas.push(delta);
    at.push(performance.now() - start);
  }
  return { deltas, at };
}

describe('OpenAIInterviewer against an OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  beforeEach(async () => {
    server = await startFakeOpenAIServer({ chunkDelayMs: 15 });
  });
  afterEach(() => server.close());

  const interviewer = (timeoutMs = 2000) =>
    new OpenAIInterviewer({
      client: createOpenAIClient({ apiKey: 'sk-test', baseURL: server.url, timeoutMs }),
      model: 'gpt-4.1-mini',
    });

  it('streams the reply as content deltas, as they are produced', async () => {
    server.setScript({ chatReplies: ['Why did you pick base62 keys over hashing?'] });
    const reply = interviewer().reply(
      contextWith([turn('t1', 'candidate', 'I would use base62 keys.', 0, 3000)]),
    );

    const { deltas, at } = await collect(reply.text);

    expect(deltas.join('')).toBe('Why did you pick base62 keys over hashing?');
    expect(deltas.length).toBeGreaterThan(5);
    // The first words are available well before the last: nothing waits for the whole reply.
    expect((at.at(-1) ?? 0) - (at[0] ?? 0)).toBeGreaterThan(50);
  });

  it('sends the round prompt and delimited candidate speech as a streaming chat request', async () => {
    await collect(
      interviewer().reply(
        contextWith([
          turn('t1', 'interviewer', 'How would you design a URL shortener?', 0, 3000),
          turn('t2', 'candidate', 'Start with the write path.', 3000, 6000),
        ]),
      ).text,
    );

    const body = server.requestsTo('chat')[0]?.json;
    expect(body).toMatchObject({ model: 'gpt-4.1-mini', stream: true });
    const messages = body?.['messages'] as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user', 'system']);
    expect(messages[0]?.content).toContain('You are Dana Okafor');
    expect(messages[2]?.content).toBe(
      '<candidate_turn>\nStart with the write path.\n</candidate_turn>',
    );
  });

  it('opens with the first question of the pack', async () => {
    server.setScript({ chatReplies: ['Hi, I am Dana. How would you design a URL shortener?'] });
    const reply = interviewer().open(contextWith([], 'questions', 0));

    expect(reply.questionId).toBe('url-shortener');
    expect((await collect(reply.text)).deltas.join('')).toContain('URL shortener');
  });

  it('stops streaming and rejects with aborted when the caller aborts', async () => {
    server.setScript({ chatReplies: ['one two three four five six seven eight nine ten'] });
    const controller = new AbortController();
    const deltas: string[] = [];

    const consume = async () => {
      for await (const delta of interviewer().reply(contextWith([]), controller.signal).text) {
        deltas.push(delta);
        if (deltas.length === 2) controller.abort();
      }
    };

    await expect(consume()).rejects.toMatchObject({ name: 'ProviderError', code: 'aborted' });
    expect(deltas.length).toBeLessThan(5);
  });

  it('does not leak an unhandled rejection when a reply is never read', async () => {
    server.injectFault('chat', { kind: 'status', status: 500 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = createOpenAIClient({
        apiKey: 'sk-test',
        baseURL: server.url,
        timeoutMs: 2000,
        maxRetries: 0,
      });
      new OpenAIInterviewer({ client, model: 'gpt-4.1-mini' }).reply(contextWith([]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
