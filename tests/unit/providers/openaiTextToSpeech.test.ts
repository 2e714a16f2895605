import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIClient } from '../../../src/providers/openai/openaiClient';
import {
  OpenAITextToSpeech,
  Pcm16Decoder,
  splitForSpeech,
} from '../../../src/providers/openai/openaiTextToSpeech';
import { fakeSpeechPcm, fakeSpeechSampleCount } from '../../support/fakeOpenAIAudio';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeOpenAIServerOptions,
} from '../../support/fakeOpenAIServer';
import { samplePack } from './samplePack';

async function concat(
  chunks: AsyncIterable<Int16Array>,
): Promise<{ pcm: Int16Array; count: number }> {
  const parts: Int16Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    pcm.set(part, offset);
    offset += part.length;
  }
  return { pcm, count: parts.length };
}

describe('OpenAITextToSpeech against an OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  afterEach(() => server.close());

  async function ttsFor(model: string, options: FakeOpenAIServerOptions = {}) {
    server = await startFakeOpenAIServer(options);
    const client = createOpenAIClient({ apiKey: 'sk-test', baseURL: server.url, timeoutMs: 2000 });
    return new OpenAITextToSpeech({ client, model });
  }

  it('decodes the pcm stream to exactly the samples sent, across odd chunk boundaries', async () => {
    // 333-byte writes put every other chunk boundary in the middle of a sample.
    const tts = await ttsFor('gpt-4o-mini-tts', { speechChunkBytes: 333, chunkDelayMs: 1 });
    const text = 'Tell me about the read path.';

    const { pcm, count } = await concat(tts.synthesize(text, samplePack.persona));

    expect(pcm.length).toBe(fakeSpeechSampleCount(text));
    expect(pcm).toEqual(fakeSpeechPcm(text));
    expect(count).toBeGreaterThan(10); // streamed, not buffered into one chunk
  });

  it('sends the persona voice and instructions, asking for pcm', async () => {
    const tts = await ttsFor('gpt-4o-mini-tts');
    await concat(tts.synthesize('Hello there.', samplePack.persona));

    expect(server.requestsTo('speech')[0]?.json).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'cedar',
      input: 'Hello there.',
      instructions: 'Calm, friendly, unhurried.',
      response_format: 'pcm',
    });
  });

  it('omits instructions for tts-1 models, which reject them', async () => {
    const tts = await ttsFor('tts-1-hd');
    await concat(tts.synthesize('Hello there.', samplePack.persona));

    const body = server.requestsTo('speech')[0]?.json ?? {};
    expect(body['voice']).toBe('cedar');
    expect('instructions' in body).toBe(false);
  });

  it('requests nothing for empty text', async () => {
    const tts = await ttsFor('gpt-4o-mini-tts');
    expect((await concat(tts.synthesize('   ', samplePack.persona))).pcm.length).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('reports text where audio belongs as a bad response', async () => {
    const tts = await ttsFor('gpt-4o-mini-tts');
    server.injectFault('speech', { kind: 'garbage' });

    await expect(concat(tts.synthesize('Hello.', samplePack.persona))).rejects.toMatchObject({
      name: 'ProviderError',
      code: 'bad-response',
      stage: 'tts',
    });
  });
});

describe('Pcm16Decoder', () => {
  it('carries a half sample into the next chunk', () => {
    const decoder = new Pcm16Decoder();
    // Samples 0x0201 = 513 and 0xfffe = -2, little-endian, split 1 + 2 + 1 bytes.
    expect(Array.from(decoder.push(Uint8Array.from([0x01])))).toEqual([]);
    expect(decoder.pending).toBe(true);
    expect(Array.from(decoder.push(Uint8Array.from([0x02, 0xfe])))).toEqual([513]);
    expect(Array.from(decoder.push(Uint8Array.from([0xff])))).toEqual([-2]);
    expect(decoder.pending).toBe(false);
  });
});

describe('splitForSpeech', () => {
  it('splits long text at sentence ends, keeping every word', () => {
    const text = 'One two three. Four five six. Seven eight.';
    const pieces = splitForSpeech(text, 20);
    expect(pieces).toEqual(['One two three.', 'Four five six.', 'Seven eight.']);
    expect(splitForSpeech('short', 20)).toEqual(['short']);
  });
});
