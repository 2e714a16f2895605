import { afterEach, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../../src/core/usage';
import { abortableSleep } from '../../../src/providers/abortableSleep';
import { openRealtimeTranscription } from '../../../src/providers/openai/realtime/openaiRealtimeTranscription';
import type { StageStatus } from '../../../src/providers/resilience/retryPolicy';
import { StreamingLiveTranscriber } from '../../../src/providers/resilience/streamingTranscriber';
import type { SpeechToText } from '../../../src/providers/types';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';
import { startFakeRealtimeServer, type FakeRealtimeServer } from '../../support/fakeRealtimeServer';

const RATE = 24_000;
const speech = (seconds: number) =>
  Int16Array.from({ length: Math.round(seconds * RATE) }, (_, i) =>
    Math.round(6000 * Math.sin(i / 5)),
  );

/** Piece uploads, recorded: what the transcriber falls back to. */
class RecordingUploads implements SpeechToText {
  readonly info = { kind: 'openai', model: 'gpt-4o-transcribe' };
  readonly seconds: number[] = [];
  async transcribe(audio: Int16Array): Promise<string> {
    this.seconds.push(audio.length / RATE);
    return `uploaded ${this.seconds.length}`;
  }
}

const policy = {
  retries: 2,
  baseMs: 5,
  maxMs: 5,
  random: () => 0.5,
  sleep: abortableSleep,
};

describe('streaming transcription over a Realtime transcription session', () => {
  let realtime: FakeRealtimeServer | null = null;
  let http: FakeOpenAIServer | null = null;
  let transcriber: StreamingLiveTranscriber | null = null;
  afterEach(async () => {
    transcriber?.close();
    await realtime?.close();
    await http?.close();
    realtime = null;
    http = null;
    transcriber = null;
  });

  function start(baseURL: string, uploads: SpeechToText, usage: UsageRecord[] = []) {
    const statuses: StageStatus[] = [];
    const interim: [number, string][] = [];
    transcriber = new StreamingLiveTranscriber(
      uploads.info,
      (signal) =>
        openRealtimeTranscription(
          {
            apiKey: 'sk-test',
            baseURL,
            model: 'gpt-4o-transcribe',
            connectTimeoutMs: 2000,
            requestTimeoutMs: 2000,
            onUsage: (u) => usage.push(u),
          },
          signal,
        ),
      uploads,
      policy,
      (s) => statuses.push(s),
    );
    transcriber.onInterim((piece, text) => interim.push([piece, text]));
    transcriber.open();
    return { transcriber, statuses, interim };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 400 && !check(); i++) await abortableSleep(5);
    expect(check()).toBe(true);
  };

  it('streams each piece as it is spoken and commits it: our detector, their words', async () => {
    realtime = await startFakeRealtimeServer({ apiKey: 'sk-test' });
    realtime.setScript({
      spokenAnswers: [
        { text: 'The leader keeps the ISR list', seconds: 2 },
        { text: 'and followers fetch from it.', seconds: 1 },
      ],
    });
    const uploads = new RecordingUploads();
    const usage: UsageRecord[] = [];
    const { transcriber: stt, interim } = start(realtime.url, uploads, usage);
    await until(
      () => realtime!.connections.length === 1 && realtime!.eventsOf('session.update').length === 1,
    );
    await abortableSleep(20);

    stt.append(speech(1));
    stt.append(speech(1));
    expect(await stt.commit({})).toBe('The leader keeps the ISR list');
    stt.append(speech(1));
    expect(await stt.commit({})).toBe('and followers fetch from it.');

    const [connection] = realtime.connections;
    expect(connection).toMatchObject({ intent: 'transcription', authorization: 'Bearer sk-test' });
    expect(connection!.inputSamples).toBe(3 * RATE);
    expect(realtime.eventsOf('session.update')[0]?.json['session']).toEqual({
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: RATE },
          transcription: { model: 'gpt-4o-transcribe' },
          turn_detection: null,
        },
      },
    });
    expect(realtime.eventsOf('input_audio_buffer.commit')).toHaveLength(2);
    expect(uploads.seconds).toEqual([]);
    expect(interim.filter(([piece]) => piece === 0).at(-1)).toEqual([
      0,
      'The leader keeps the ISR list',
    ]);
    expect(interim.some(([piece]) => piece === 1)).toBe(true);
    const seconds = usage.reduce((n, u) => n + (u.audioSeconds ?? 0), 0);
    expect(seconds).toBeCloseTo(3, 5);
    expect(usage.some((u) => (u.inputTokens ?? 0) > 0)).toBe(true);
  });

  it('a server without the endpoint is transcribed by upload, quietly', async () => {
    http = await startFakeOpenAIServer({ apiKey: 'sk-test' });
    const uploads = new RecordingUploads();
    const { transcriber: stt, statuses } = start(http.url, uploads);
    await abortableSleep(50);
    stt.append(speech(1.5));
    expect(await stt.commit({})).toBe('uploaded 1');
    stt.append(speech(0.5));
    expect(await stt.commit({})).toBe('uploaded 2');
    expect(uploads.seconds).toEqual([1.5, 0.5]);
    expect(statuses).toEqual([]);
  });

  it('a dropped connection: the lost piece goes by upload once, then streaming resumes', async () => {
    realtime = await startFakeRealtimeServer({ apiKey: 'sk-test' });
    realtime.setScript({ transcriptions: ['first piece', 'third piece'] });
    const uploads = new RecordingUploads();
    const { transcriber: stt, statuses } = start(realtime.url, uploads);
    await until(() => realtime!.eventsOf('session.update').length === 1);
    await abortableSleep(20);

    realtime.injectFault({ kind: 'close-at-commit' });
    stt.append(speech(1));
    // The connection drops before the transcript: the piece is uploaded instead.
    expect(await stt.commit({})).toBe('uploaded 1');
    expect(uploads.seconds).toEqual([1]);
    await until(() => statuses.some((s) => s.state === 'recovered'));
    expect(statuses[0]).toMatchObject({ stage: 'stt', state: 'reconnecting' });
    expect(realtime.connections).toHaveLength(2);

    stt.append(speech(1));
    expect(await stt.commit({})).toBe('first piece');
    expect(uploads.seconds).toEqual([1]);
    expect(realtime.connections[1]!.inputSamples).toBe(RATE);
  });

  it('retries a refused session visibly, uploading meanwhile, and gives up cleanly', async () => {
    realtime = await startFakeRealtimeServer({ apiKey: 'sk-test' });
    realtime.injectFault({ kind: 'status', status: 503 }, 5);
    const uploads = new RecordingUploads();
    const { transcriber: stt, statuses } = start(realtime.url, uploads);
    stt.append(speech(1));
    expect(await stt.commit({})).toBe('uploaded 1');
    await until(() => statuses.some((s) => s.state === 'fallback'));
    expect(statuses.map((s) => s.state)).toEqual(['reconnecting', 'reconnecting', 'fallback']);
    expect(statuses.at(-1)?.message).toMatch(/transcribed by upload/);
    stt.append(speech(1));
    expect(await stt.commit({})).toBe('uploaded 2');
    expect(realtime.connections).toHaveLength(0);
  });
});
