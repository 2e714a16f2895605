import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../src/core/audioFormat';
import { createOpenAIClient } from '../../../src/providers/openai/openaiClient';
import { OpenAIInterviewer } from '../../../src/providers/openai/openaiInterviewer';
import { OpenAISpeechToText } from '../../../src/providers/openai/openaiSpeechToText';
import { OpenAITextToSpeech } from '../../../src/providers/openai/openaiTextToSpeech';
import { fakeSpeechSampleCount } from '../../support/fakeOpenAIAudio';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';
import { contextWith, samplePack } from './samplePack';

/**
 * Many OpenAI-compatible servers (local model runners) ignore `stream: true` and send one
 * JSON body, and send WAV whatever speech format was asked for. Nothing may come out empty.
 */
describe('a minimal OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  afterEach(() => server.close());

  async function clientFor(speechWavRate: number) {
    server = await startFakeOpenAIServer({ minimal: { speechWavRate } });
    return createOpenAIClient({ apiKey: 'sk-test', baseURL: server.url, timeoutMs: 2000 });
  }

  it('transcripts answered as JSON to a streaming request are read, not lost', async () => {
    const client = await clientFor(SAMPLE_RATE);
    server.setScript({ transcriptions: ['The leader tracks the high watermark.'] });
    const stt = new OpenAISpeechToText({ client, model: 'gpt-4o-transcribe' });
    const deltas: string[] = [];
    const text = await stt.transcribe(new Int16Array(SAMPLE_RATE).fill(1000), {
      onDelta: (t) => deltas.push(t),
    });
    expect(text).toBe('The leader tracks the high watermark.');
    expect(deltas.at(-1)).toBe(text);
  });

  it('chat replies answered as JSON to a streaming request are spoken, not lost', async () => {
    const client = await clientFor(SAMPLE_RATE);
    server.setScript({ chatReplies: ['Why is the index sparse?'] });
    const interviewer = new OpenAIInterviewer({ client, model: 'llama3' });
    let text = '';
    for await (const delta of interviewer.reply(contextWith([])).text) text += delta;
    expect(text).toBe('Why is the index sparse?');
  });

  it('WAV speech at another rate is converted to 24 kHz mono', async () => {
    const client = await clientFor(16_000);
    const tts = new OpenAITextToSpeech({ client, model: 'kokoro' });
    let samples = 0;
    for await (const chunk of tts.synthesize('Tell me about compaction.', samplePack.persona)) {
      samples += chunk.length;
    }
    const expected = fakeSpeechSampleCount('Tell me about compaction.');
    expect(Math.abs(samples - expected)).toBeLessThan(SAMPLE_RATE / 100);
  });
});
