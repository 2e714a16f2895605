import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWavPcm16 } from '../../../src/core/wav';
import { createOpenAIClient } from '../../../src/providers/openai/openaiClient';
import { OpenAISpeechToText } from '../../../src/providers/openai/openaiSpeechToText';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';

describe('OpenAISpeechToText against an OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  beforeEach(async () => {
    server = await startFakeOpenAIServer({ chunkDelayMs: 5 });
  });
  afterEach(() => server.close());

  const sttFor = (model: string) =>
    new OpenAISpeechToText({
      client: createOpenAIClient({ apiKey: 'sk-test', baseURL: server.url, timeoutMs: 2000 }),
      model,
    });
  const tone = Int16Array.from({ length: 2400 }, (_, i) => Math.round(8000 * Math.sin(i / 7)));

  it('uploads the turn as a 24 kHz mono WAV in a multipart form', async () => {
    await sttFor('gpt-4o-transcribe').transcribe(tone, { prompt: 'URL shortener' });

    const [request] = server.requestsTo('transcriptions');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.headers.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.multipart?.fields).toMatchObject({
      model: 'gpt-4o-transcribe',
      stream: 'true',
      prompt: 'URL shortener',
    });
    const file = request?.multipart?.file;
    expect(file).toMatchObject({ name: 'turn.wav', type: 'audio/wav', size: 44 + tone.length * 2 });
    const { samples, info } = decodeWavPcm16(file?.bytes ?? new Uint8Array());
    expect(info).toMatchObject({ sampleRate: 24_000, channels: 1, bitsPerSample: 16 });
    expect(Array.from(samples)).toEqual(Array.from(tone));
  });

  it('reports streamed deltas in order, as accumulated text', async () => {
    server.setScript({ transcriptions: ['I would start with the API.'] });
    const seen: string[] = [];

    const text = await sttFor('gpt-4o-transcribe').transcribe(tone, {
      onDelta: (soFar) => seen.push(soFar),
    });

    expect(text).toBe('I would start with the API.');
    expect(seen).toEqual([
      'I ',
      'I would ',
      'I would start ',
      'I would start with ',
      'I would start with the ',
      'I would start with the API.',
    ]);
  });

  it('asks whisper models for a plain JSON transcription (they do not stream)', async () => {
    server.setScript({ transcriptions: ['Caching at the edge.'] });
    const seen: string[] = [];

    const text = await sttFor('whisper-1').transcribe(tone, { onDelta: (s) => seen.push(s) });

    expect(text).toBe('Caching at the edge.');
    expect(seen).toEqual(['Caching at the edge.']);
    expect(server.requestsTo('transcriptions')[0]?.multipart?.fields['stream']).toBeUndefined();
  });

  it('sends nothing for an empty turn', async () => {
    expect(await sttFor('gpt-4o-transcribe').transcribe(new Int16Array(0), {})).toBe('');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects with ProviderError aborted when the caller aborts mid-stream', async () => {
    const slow = await startFakeOpenAIServer({ chunkDelayMs: 200 });
    try {
      const stt = new OpenAISpeechToText({
        client: createOpenAIClient({ apiKey: 'sk-test', baseURL: slow.url, timeoutMs: 2000 }),
        model: 'gpt-4o-transcribe',
      });
      const controller = new AbortController();
      const pending = stt.transcribe(tone, {
        signal: controller.signal,
        onDelta: () => controller.abort(),
      });
      await expect(pending).rejects.toMatchObject({ name: 'ProviderError', code: 'aborted' });
    } finally {
      await slow.close();
    }
  });
});
