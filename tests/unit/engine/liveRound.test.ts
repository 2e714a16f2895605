import { describe, expect, it, vi } from 'vitest';
import { SAMPLE_RATE } from '../../../src/core/audioFormat';
import type { RoundPack } from '../../../src/core/roundPack';
import { splitSentences } from '../../../src/core/sentences';
import type { InterviewerNote } from '../../../src/core/interviewerNotes';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import type { RoundEndReason, RoundEvent } from '../../../src/engine/events';
import { LiveRound } from '../../../src/engine/liveRound';
import { BatchLiveTranscriber } from '../../../src/providers/batchLiveTranscriber';
import { ScriptedInterviewer } from '../../../src/providers/embedded/scriptedInterviewer';
import { FakeClock } from '../../../src/engine/testing/fakeClock';
import type { RoundSummary } from '../../../src/core/summary';
import {
  FakeInterviewer,
  FakeSpeechToText,
  FakeTextToSpeech,
} from '../../../src/providers/testing/fakeProviders';
import type {
  InterviewContext,
  Interviewer,
  InterviewerReply,
  LiveTranscriber,
  SpeechToText,
} from '../../../src/providers/types';
import { TEST_PACK_BUDGET_MS, TEST_PACK_CLOSING_AT_MS, testPack } from './testPack';

const SILENCE_MS = 1000;
const THINKING_MS = 4000;
/** FakeTextToSpeech speaks 2 ms per character: 48 samples per character. */
const MS_PER_CHAR = 2;
/** A piece of speech goes to speech-to-text from 100 ms before it to 100 ms after. */
const PRE_PAD_MS = 100;
const POST_PAD_MS = 100;
const samplesAt = (ms: number) => Math.round((ms / 1000) * SAMPLE_RATE);
const ttsSamples = (sentence: string) =>
  Math.round((sentence.length * MS_PER_CHAR * SAMPLE_RATE) / 1000);

const OPENING = 'Hi, I am Dana. How does a log segment get written?';
const REPLY = 'Why append only? Say more about the page cache please.';
const THIRD = 'Got it. How does a consumer group rebalance?';

/** FakeSpeechToText that also keeps the audio it was handed. */
class SpySpeechToText extends FakeSpeechToText {
  readonly received: Int16Array[] = [];
  readonly signals: (AbortSignal | undefined)[] = [];
  override transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (soFar: string) => void },
  ): Promise<string> {
    this.received.push(audio);
    this.signals.push(options.signal);
    return super.transcribe(audio, options);
  }
}

/** Its first transcription waits for `release()`, so a resume always lands before it. */
class HeldFirstSpeechToText extends SpySpeechToText {
  private releaseFirst: () => void = () => undefined;
  private readonly held = new Promise<void>((resolve) => (this.releaseFirst = resolve));
  constructor(private readonly texts: [string, ...string[]]) {
    super(texts.slice(1));
  }
  release(): void {
    this.releaseFirst();
  }
  override async transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (soFar: string) => void },
  ): Promise<string> {
    if (this.received.length > 0) return super.transcribe(audio, options);
    this.received.push(audio);
    this.signals.push(options.signal);
    await this.held;
    return this.texts[0];
  }
}

interface Finished {
  reason: RoundEndReason;
  summary: RoundSummary;
  turns: Turn[];
}

interface HarnessOptions {
  pack?: RoundPack;
  replies?: string[];
  interviewer?: Interviewer;
  stt?: SpeechToText | null;
  /** A live transcriber used as is (instead of `stt` adapted piece by piece). */
  live?: LiveTranscriber;
  allowInterruptions?: boolean;
  journalFails?: boolean;
  /** appendTurn never finishes: a disk that has stalled. */
  journalStalls?: boolean;
}

function startRound(options: HarnessOptions = {}) {
  const clock = new FakeClock();
  const events: RoundEvent[] = [];
  const recorded: Int16Array[] = [];
  const journal: Turn[] = [];
  const journalNotes: InterviewerNote[] = [];
  const finished: Finished[] = [];
  let closes = 0;
  const interviewer = options.interviewer ?? new FakeInterviewer(options.replies ?? [OPENING]);
  const stt =
    options.stt === undefined ? new SpySpeechToText(['I would append to the log.']) : options.stt;
  const round = new LiveRound({
    pack: options.pack ?? testPack(),
    clock,
    stt: options.live ?? (stt ? new BatchLiveTranscriber(stt) : null),
    interviewer,
    tts: new FakeTextToSpeech(MS_PER_CHAR),
    recorder: {
      write: (frames) => void recorded.push(frames.slice()),
      close: async () => {
        closes++;
        const frames = recorded.reduce((n, f) => n + f.length / 2, 0);
        return { durationMs: (frames / SAMPLE_RATE) * 1000 };
      },
    },
    journal: {
      appendTurn: async (turn) => {
        if (options.journalFails) throw new Error('disk is full');
        if (options.journalStalls) await new Promise(() => undefined);
        journal.push(turn);
      },
      appendNotes: async (notes) => void journalNotes.push(...notes),
    },
    endOfTurnSilenceMs: millis(SILENCE_MS),
    unfinishedSilenceMs: millis(THINKING_MS),
    allowInterruptions: options.allowInterruptions ?? true,
    emit: (event) => void events.push(event),
    onFinished: async (result) => void finished.push(result),
  });
  round.start();

  const speech = (utteranceId: string) =>
    events.filter(
      (e): e is Extract<RoundEvent, { type: 'speech' }> =>
        e.type === 'speech' && e.utteranceId === utteranceId,
    );
  const ofType = <T extends RoundEvent['type']>(type: T) =>
    events.filter((e): e is Extract<RoundEvent, { type: T }> => e.type === type);

  return {
    clock,
    round,
    events,
    recorded,
    journal,
    journalNotes,
    finished,
    interviewer,
    stt,
    closes: () => closes,
    speech,
    ofType,
    /** Waits until the utterance's audio has been sent in full (last: true). */
    async spoken(utteranceId: string) {
      await vi.waitFor(() => expect(speech(utteranceId).at(-1)?.last).toBe(true), {
        timeout: 2000,
        interval: 1,
      });
    },
    /** The renderer played the utterance start to end. */
    played(utteranceId: string, startMs: number, endMs: number) {
      const playedSamples = speech(utteranceId).reduce((n, e) => n + e.pcm.byteLength / 2, 0);
      round.playback({ utteranceId, event: 'started', atMs: millis(startMs) });
      round.playback({ utteranceId, event: 'ended', atMs: millis(endMs), playedSamples });
    },
    /** Stereo frames from `fromMs` to `toMs`; candidate channel = frame index mod 32000. */
    feedAudio(fromMs: number, toMs: number) {
      const step = samplesAt(100);
      for (let start = samplesAt(fromMs); start < samplesAt(toMs); start += step) {
        const n = Math.min(step, samplesAt(toMs) - start);
        const frames = new Int16Array(n * 2);
        for (let i = 0; i < n; i++) {
          frames[i * 2] = (start + i) % 32000;
          frames[i * 2 + 1] = -7;
        }
        round.audioFrames(frames);
      }
    },
  };
}

type Harness = ReturnType<typeof startRound>;

/** Real-time wait for the fakes' setTimeout(0)-based streams to run. */
const settle = (ms = 20) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Opening spoken and played from 100 to 2100 ms: the floor is the candidate's. */
async function pastOpening(h: Harness): Promise<void> {
  await h.spoken('u1');
  h.played('u1', 100, 2100);
  await vi.waitFor(() => expect(h.round.floorState).toBe('listening'), { interval: 1 });
}

/** The candidate speaks from startMs to endMs, then is silent for the window. */
function candidateSays(h: Harness, startMs: number, endMs: number): void {
  h.round.speechStart(millis(startMs));
  h.round.speechEnd(millis(endMs));
  h.clock.advance(SILENCE_MS);
}

describe('LiveRound: the opening', () => {
  it('is spoken as pcm speech events in order, closed by an empty last event', async () => {
    const h = startRound();
    await h.spoken('u1');
    const events = h.speech('u1');
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const last = events.at(-1);
    expect(last?.pcm.byteLength).toBe(0);
    const audio = events.slice(0, -1);
    expect(audio.every((e) => !e.last && e.pcm.byteLength > 0)).toBe(true);
    // Every sentence is synthesized in full: 2 bytes per sample.
    const expected = splitSentences(OPENING).reduce((n, s) => n + ttsSamples(s), 0);
    expect(audio.reduce((n, e) => n + e.pcm.byteLength, 0)).toBe(expected * 2);

    const interviewer = h.interviewer as FakeInterviewer;
    expect(interviewer.contexts).toHaveLength(1);
    expect(interviewer.contexts[0]?.phase).toBe('questions');
    expect(interviewer.contexts[0]?.turns).toEqual([]);
    const firstState = h.ofType('state')[0];
    expect(firstState).toMatchObject({
      floor: 'thinking',
      phase: 'questions',
      remainingMs: TEST_PACK_BUDGET_MS,
      holding: false,
    });
    // Nothing is committed until the renderer reports playback.
    expect(h.round.committedTurns).toEqual([]);
  });

  it('is committed as an interviewer turn with the renderer-reported play times', async () => {
    const h = startRound();
    await h.spoken('u1');
    h.round.playback({ utteranceId: 'u1', event: 'started', atMs: millis(150) });
    expect(h.round.floorState).toBe('interviewer-speaking');
    expect(h.round.committedTurns).toEqual([]);
    // A report for another utterance is ignored.
    h.round.playback({ utteranceId: 'u9', event: 'ended', atMs: millis(1), playedSamples: 1 });
    expect(h.round.committedTurns).toEqual([]);

    h.round.playback({ utteranceId: 'u1', event: 'ended', atMs: millis(2350), playedSamples: 9 });
    const expected: Turn = {
      id: 't1',
      speaker: 'interviewer',
      startMs: millis(150),
      endMs: millis(2350),
      text: OPENING,
      // The fake interviewer says no question id; the words are recognised as the first.
      questionId: 'log-storage',
    };
    expect(h.round.committedTurns).toEqual([expected]);
    expect(h.ofType('turn').map((e) => e.turn)).toEqual([expected]);
    await vi.waitFor(() => expect(h.journal).toEqual([expected]), { interval: 1 });
    await vi.waitFor(() => expect(h.round.floorState).toBe('listening'), { interval: 1 });
  });
});

describe('LiveRound: the candidate turn', () => {
  it('is transcribed from the right audio slice as the candidate pauses, answered after the window', async () => {
    const h = startRound({ replies: [OPENING, REPLY] });
    const stt = h.stt as SpySpeechToText;
    await pastOpening(h);
    // The speech-end report arrives 250 ms after the end, with the audio up to then.
    h.feedAudio(0, 3200);
    h.round.speechStart(millis(3000));
    h.feedAudio(3200, 6250);
    expect(h.recorded.reduce((n, f) => n + f.length, 0)).toBe(samplesAt(6250) * 2);
    h.round.speechEnd(millis(6000));
    // The draft starts at once: transcription, then the interviewer, its audio held back.
    await vi.waitFor(() => expect(stt.received).toHaveLength(1), { interval: 1 });
    await vi.waitFor(() => expect((h.interviewer as FakeInterviewer).contexts).toHaveLength(2), {
      interval: 1,
    });
    await settle();
    expect(h.speech('u2')).toEqual([]);
    expect(h.round.floorState).toBe('candidate-speaking');
    // The window counts from the end of speech: 250 ms of it had passed at the report.
    h.clock.advance(SILENCE_MS - 250 - 1);
    await settle();
    expect(h.speech('u2')).toEqual([]);
    h.clock.advance(1);
    expect(h.round.floorState).toBe('thinking');

    // Candidate channel only, padded by 100 ms on each side.
    const from = samplesAt(3000 - PRE_PAD_MS);
    const to = samplesAt(6000 + POST_PAD_MS);
    const audio = stt.received[0] ?? new Int16Array(0);
    expect(audio.length).toBe(to - from);
    expect(audio[0]).toBe(from % 32000);
    expect(audio.at(-1)).toBe((to - 1) % 32000);
    expect(audio.includes(-7)).toBe(false);

    await h.spoken('u2');
    const deltas = h.ofType('transcript-delta').map((e) => e.text);
    expect(deltas.at(-1)).toBe('I would append to the log.');

    // The interviewer saw the candidate's turn, though it is not committed yet.
    const context = (h.interviewer as FakeInterviewer).contexts[1];
    expect(context?.turns.map((t) => [t.speaker, t.text])).toEqual([
      ['interviewer', OPENING],
      ['candidate', 'I would append to the log.'],
    ]);
    expect(h.round.committedTurns.map((t) => t.speaker)).toEqual(['interviewer']);

    // Committed when the reply starts to play.
    h.round.playback({ utteranceId: 'u2', event: 'started', atMs: millis(7400) });
    expect(h.round.committedTurns).toEqual([
      expect.objectContaining({ id: 't1', speaker: 'interviewer' }),
      {
        id: 't2',
        speaker: 'candidate',
        startMs: 3000,
        endMs: 6000,
        text: 'I would append to the log.',
      },
    ]);
    h.round.playback({ utteranceId: 'u2', event: 'ended', atMs: millis(9000), playedSamples: 1 });
    expect(h.round.committedTurns.at(-1)).toEqual({
      id: 't3',
      speaker: 'interviewer',
      startMs: 7400,
      endMs: 9000,
      text: REPLY,
    });
    await vi.waitFor(() => expect(h.journal.map((t) => t.id)).toEqual(['t1', 't2', 't3']), {
      interval: 1,
    });
  });

  it('has text null and no transcription when there is no speech-to-text', async () => {
    const h = startRound({ replies: [OPENING, REPLY], stt: null });
    await pastOpening(h);
    h.feedAudio(0, 4000);
    candidateSays(h, 1000, 3000);
    await h.spoken('u2');
    expect(h.ofType('transcript-delta')).toEqual([]);
    const context = (h.interviewer as FakeInterviewer).contexts[1];
    expect(context?.turns.at(-1)).toMatchObject({ speaker: 'candidate', text: null });
    h.played('u2', 3500, 5000);
    expect(h.round.committedTurns.find((t) => t.speaker === 'candidate')).toEqual({
      id: 't2',
      speaker: 'candidate',
      startMs: 1000,
      endMs: 3000,
      text: null,
    });
    await h.round.end();
    expect(h.finished[0]?.summary.transcriptAvailable).toBe(false);
    expect(h.finished[0]?.summary.wordsPerMinute).toBeNull();
  });

  it('an "I\'m done" with no speech gets a reply but commits no candidate turn', async () => {
    const h = startRound({ replies: [OPENING, REPLY] });
    await pastOpening(h);
    h.round.done(millis(4000));
    await h.spoken('u2');
    expect((h.stt as SpySpeechToText).received).toHaveLength(0);
    h.played('u2', 4500, 6000);
    expect(h.round.committedTurns.map((t) => t.speaker)).toEqual(['interviewer', 'interviewer']);
  });

  it('resuming while the reply is prepared drops the draft; each piece is transcribed once', async () => {
    const stt = new HeldFirstSpeechToText(['the whole', 'turn']);
    const h = startRound({ replies: [OPENING, REPLY], stt });
    await pastOpening(h);
    h.feedAudio(0, 3200);
    h.round.speechStart(millis(2000));
    h.round.speechEnd(millis(3000));
    await vi.waitFor(() => expect(stt.received).toHaveLength(1), { interval: 1 });
    // No transcript yet: the turn waits for it rather than end on a guess.
    h.clock.advance(SILENCE_MS);
    expect(h.round.floorState).toBe('candidate-speaking');

    h.round.speechStart(millis(3800)); // still talking: the draft is dropped
    expect(h.round.floorState).toBe('candidate-speaking');
    stt.release();
    // Audio arrives with the detector's reports, a little ahead of them.
    h.feedAudio(3200, 6200);
    h.round.speechEnd(millis(6000));
    h.feedAudio(6200, 9000);
    h.clock.advance(SILENCE_MS);
    await h.spoken('u2');
    await settle();

    // The first piece was not sent again: the second draft reused its text.
    expect(stt.received).toHaveLength(2);
    expect(stt.signals.every((signal) => !signal?.aborted)).toBe(true);
    expect(stt.received[0]?.length).toBe(samplesAt(3000 + POST_PAD_MS) - samplesAt(2000 - 100));
    expect(stt.received[1]?.length).toBe(samplesAt(6000 + POST_PAD_MS) - samplesAt(3800 - 100));
    // Only one reply was asked for, with the whole turn.
    const contexts = (h.interviewer as FakeInterviewer).contexts;
    expect(contexts).toHaveLength(2);
    expect(contexts[1]?.turns.at(-1)).toMatchObject({
      id: 't2',
      startMs: 2000,
      endMs: 6000,
      text: 'the whole turn',
    });
  });

  it('resuming after the turn ended, before the reply is heard, drops the draft too', async () => {
    const h = startRound({ replies: [OPENING, REPLY, THIRD] });
    await pastOpening(h);
    h.feedAudio(0, 9000);
    candidateSays(h, 2000, 3000);
    await h.spoken('u2');
    expect(h.round.floorState).toBe('thinking');
    h.round.speechStart(millis(4000));
    expect(h.ofType('flush')).toEqual([{ type: 'flush', utteranceId: 'u2' }]);
    expect(h.round.floorState).toBe('candidate-speaking');
  });
});

describe('LiveRound: drafts and thinking pauses', () => {
  /** A transcriber that answers each call with the next scripted text, after `delayMs`. */
  class ScriptedStt implements SpeechToText {
    readonly info = { kind: 'fake' };
    readonly signals: AbortSignal[] = [];
    constructor(
      private readonly texts: string[],
      private readonly clock: { after(ms: number, fn: () => void): unknown } | null = null,
    ) {}
    transcribe(_audio: Int16Array, options: { signal?: AbortSignal }): Promise<string> {
      if (options.signal) this.signals.push(options.signal);
      return Promise.resolve(this.texts.shift() ?? '');
    }
  }

  /** An interviewer whose replies never end unless aborted, and records the aborts. */
  class SlowInterviewer implements Interviewer {
    readonly info = { kind: 'fake' };
    readonly signals: (AbortSignal | undefined)[] = [];
    open(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
      return new FakeInterviewer([OPENING]).open(context, signal);
    }
    reply(_context: InterviewContext, signal?: AbortSignal): InterviewerReply {
      this.signals.push(signal);
      return {
        text: (async function* () {
          await new Promise((_r, reject) =>
            signal?.addEventListener('abort', () => reject(new Error('aborted'))),
          );
          yield '';
        })(),
      };
    }
  }

  it('an unfinished sentence asks no reply and keeps the floor through a 3 s pause', async () => {
    // One piece per stretch of speech: the second draft joins them.
    const stt = new ScriptedStt(['I would partition by key and', 'then replicate it.']);
    const h = startRound({ replies: [OPENING, REPLY], stt });
    await pastOpening(h);
    h.feedAudio(0, 5000);
    h.round.speechStart(millis(3000));
    h.round.speechEnd(millis(5000));
    await settle();
    h.clock.advance(3000);
    await settle();
    expect(h.round.floorState).toBe('candidate-speaking');
    expect((h.interviewer as FakeInterviewer).contexts).toHaveLength(1);

    h.feedAudio(5000, 9000);
    h.round.speechStart(millis(8000));
    h.round.speechEnd(millis(9000));
    await settle();
    h.clock.advance(SILENCE_MS);
    await h.spoken('u2');
    const context = (h.interviewer as FakeInterviewer).contexts[1];
    expect(context?.turns.at(-1)).toMatchObject({
      startMs: 3000,
      endMs: 9000,
      text: 'I would partition by key and then replicate it.',
    });
  });

  it('a draft the candidate talks over is aborted, model call included, and never heard', async () => {
    const stt = new ScriptedStt(['Partitions give ordering.', 'And more.']);
    const interviewer = new SlowInterviewer();
    const h = startRound({ interviewer, stt });
    await pastOpening(h);
    h.feedAudio(0, 12_000);
    h.round.speechStart(millis(3000));
    h.round.speechEnd(millis(5000));
    await vi.waitFor(() => expect(interviewer.signals).toHaveLength(1), { interval: 1 });
    h.round.speechStart(millis(5300));
    expect(interviewer.signals[0]?.aborted).toBe(true);
    // The piece's transcript is not the draft's: it is kept for the next draft.
    expect(stt.signals[0]?.aborted).toBe(false);
    expect(h.ofType('flush')).toEqual([]); // nothing of it was sent to be played
    h.round.speechEnd(millis(6000));
    await vi.waitFor(() => expect(interviewer.signals).toHaveLength(2), { interval: 1 });
    expect(interviewer.signals[1]?.aborted).toBe(false);
  });

  it('a reply drafted in full during the window is still flushed by a barge-in', async () => {
    const h = startRound({ replies: [OPENING, REPLY] });
    await pastOpening(h);
    h.feedAudio(0, 6000);
    h.round.speechStart(millis(3000));
    h.round.speechEnd(millis(6000));
    await vi.waitFor(() => expect((h.interviewer as FakeInterviewer).contexts).toHaveLength(2), {
      interval: 1,
    });
    await settle(50); // the whole reply is synthesized, and held
    expect(h.speech('u2')).toEqual([]);
    h.clock.advance(SILENCE_MS);
    await h.spoken('u2');
    h.round.playback({ utteranceId: 'u2', event: 'started', atMs: millis(7000) });
    h.round.speechStart(millis(7500));
    expect(h.ofType('flush')).toEqual([{ type: 'flush', utteranceId: 'u2' }]);
  });

  it('with no speech-to-text the ordinary window ends the turn', async () => {
    const h = startRound({ replies: [OPENING, REPLY], stt: null });
    await pastOpening(h);
    h.feedAudio(0, 4000);
    h.round.speechStart(millis(1000));
    h.round.speechEnd(millis(4000));
    h.clock.advance(SILENCE_MS - 1);
    await settle();
    expect(h.speech('u2')).toEqual([]);
    h.clock.advance(1);
    await h.spoken('u2');
  });
});

describe('LiveRound: barge-in', () => {
  async function interviewerReplying(h: Harness): Promise<void> {
    await pastOpening(h);
    h.feedAudio(0, 12_000);
    candidateSays(h, 3000, 6000);
    await h.spoken('u2');
    h.round.playback({ utteranceId: 'u2', event: 'started', atMs: millis(7000) });
    expect(h.round.floorState).toBe('interviewer-speaking');
  }

  it('flushes playback and commits only the words that were played', async () => {
    const h = startRound({ replies: [OPENING, REPLY, THIRD] });
    await interviewerReplying(h);

    h.round.speechStart(millis(8000));
    expect(h.ofType('flush')).toEqual([{ type: 'flush', utteranceId: 'u2' }]);
    expect(h.round.floorState).toBe('candidate-speaking');

    // All of "Why append only?" and half of the second sentence were heard.
    const [first, second] = splitSentences(REPLY) as [string, string];
    const played = ttsSamples(first) + Math.floor(ttsSamples(second) / 2);
    h.round.playback({
      utteranceId: 'u2',
      event: 'interrupted',
      atMs: millis(8000),
      playedSamples: played,
    });
    const words = second.split(' ');
    const heard = words.slice(0, Math.floor(words.length / 2)).join(' ');
    expect(h.round.committedTurns.at(-1)).toEqual({
      id: 't3',
      speaker: 'interviewer',
      startMs: 7000,
      endMs: 8000,
      text: `${first} ${heard}…`,
      interrupted: true,
    });
    // The candidate keeps the floor; their turn starts at the barge-in.
    expect(h.round.floorState).toBe('candidate-speaking');
    h.round.speechEnd(millis(10_000));
    h.clock.advance(SILENCE_MS);
    await h.spoken('u3');
    h.round.playback({ utteranceId: 'u3', event: 'started', atMs: millis(10_500) });
    expect(h.round.committedTurns.at(-1)).toMatchObject({
      id: 't4',
      speaker: 'candidate',
      startMs: 8000,
      endMs: 10_000,
    });
  });

  it('commits no interviewer turn when nothing had been played', async () => {
    const h = startRound({ replies: [OPENING, REPLY] });
    await interviewerReplying(h);
    const before = h.round.committedTurns.length;
    h.round.speechStart(millis(7010));
    h.round.playback({
      utteranceId: 'u2',
      event: 'interrupted',
      atMs: millis(7010),
      playedSamples: 0,
    });
    expect(h.round.committedTurns).toHaveLength(before);
  });

  it('is ignored when interruptions are off', async () => {
    const h = startRound({ replies: [OPENING, REPLY], allowInterruptions: false });
    await interviewerReplying(h);
    h.round.speechStart(millis(8000));
    expect(h.ofType('flush')).toEqual([]);
    expect(h.round.floorState).toBe('interviewer-speaking');
  });
});

describe('LiveRound: time budget', () => {
  it('moves to closing, then farewell, and a finished farewell ends the round as time-up', async () => {
    const h = startRound({ replies: [OPENING, 'Any questions for me?', 'Goodbye then.'] });
    const contexts = (h.interviewer as FakeInterviewer).contexts;
    await pastOpening(h);

    h.clock.advance(TEST_PACK_CLOSING_AT_MS - 1);
    expect(h.ofType('state').at(-1)?.phase).toBe('questions');
    h.clock.advance(1);
    expect(h.ofType('state').at(-1)).toMatchObject({
      phase: 'closing',
      remainingMs: TEST_PACK_BUDGET_MS - TEST_PACK_CLOSING_AT_MS,
    });

    candidateSays(h, 181_000, 183_000);
    await h.spoken('u2');
    expect(contexts[1]?.phase).toBe('closing');
    h.played('u2', 185_000, 187_000);
    await vi.waitFor(() => expect(h.round.floorState).toBe('listening'), { interval: 1 });

    // Past the budget with the candidate silent: the interviewer says farewell at once.
    h.clock.advance(TEST_PACK_BUDGET_MS - h.clock.now());
    expect(h.ofType('state').at(-1)).toMatchObject({ phase: 'farewell', remainingMs: 0 });
    await h.spoken('u3');
    expect(contexts[2]?.phase).toBe('farewell');
    expect(h.finished).toEqual([]);

    h.played('u3', 241_000, 242_000);
    await vi.waitFor(() => expect(h.finished).toHaveLength(1), { interval: 1 });
    expect(h.finished[0]?.reason).toBe('time-up');
    const ended = h.ofType('ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]?.reason).toBe('time-up');
    expect(h.round.floorState).toBe('ended');
    expect(h.clock.pendingTimers()).toBe(0);
  });
});

describe('LiveRound: ending', () => {
  it('end() emits ended with a summary and calls onFinished once, even if called twice', async () => {
    const h = startRound({ replies: [OPENING, REPLY] });
    await pastOpening(h);
    h.feedAudio(0, 6000);
    candidateSays(h, 2000, 5000);
    await h.spoken('u2');

    await Promise.all([h.round.end(), h.round.end()]);
    await h.round.end();
    expect(h.finished).toHaveLength(1);
    expect(h.closes()).toBe(1);
    const ended = h.ofType('ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]?.reason).toBe('candidate-ended');
    // The pending candidate turn is kept; the unplayed reply is flushed, not committed.
    expect(h.finished[0]?.turns.map((t) => t.speaker)).toEqual(['interviewer', 'candidate']);
    expect(h.ofType('flush')).toEqual([{ type: 'flush', utteranceId: 'u2' }]);
    expect(ended[0]?.summary).toEqual(h.finished[0]?.summary);
    expect(ended[0]?.summary).toMatchObject({
      durationMs: 6000,
      candidateTurns: 1,
      interviewerTurns: 1,
      candidateTalkMs: 3000,
      interviewerTalkMs: 2000,
      transcriptAvailable: true,
    });
    // ended is the last thing said, and audio after the end is not recorded.
    expect(h.events.at(-1)?.type).toBe('ended');
    const frames = h.recorded.length;
    h.feedAudio(6000, 7000);
    expect(h.recorded).toHaveLength(frames);
  });

  it('disconnect() ends the round as disconnected', async () => {
    const h = startRound();
    await h.spoken('u1');
    await h.round.disconnect();
    await h.round.end();
    expect(h.finished.map((f) => f.reason)).toEqual(['disconnected']);
  });
});

describe('LiveRound: failures', () => {
  it('an interviewer that throws emits a notice and gives the floor back', async () => {
    const failing: Interviewer = {
      info: { kind: 'test' },
      open: () => {
        throw new Error('the model is unavailable');
      },
      reply: () => {
        throw new Error('still unavailable');
      },
    };
    const h = startRound({ interviewer: failing });
    await vi.waitFor(() => expect(h.ofType('notice')).toHaveLength(1), { interval: 1 });
    expect(h.ofType('notice')[0]).toEqual({
      type: 'notice',
      level: 'error',
      stage: 'interviewer',
      message: 'the model is unavailable',
    });
    expect(h.round.floorState).toBe('listening');
    expect(h.ofType('state').at(-1)?.floor).toBe('listening');
    // "I'm done" asks again.
    h.round.done(millis(5000));
    await vi.waitFor(() => expect(h.ofType('notice')).toHaveLength(2), { interval: 1 });
    expect(h.ofType('notice')[1]?.message).toBe('still unavailable');
    expect(h.round.floorState).toBe('listening');
  });

  it('a reply that fails mid-stream leaves no stray speech after the notice', async () => {
    let calls = 0;
    const flaky: Interviewer = {
      info: { kind: 'test' },
      open: (context) => new FakeInterviewer([OPENING]).open(context),
      reply: (_context: InterviewContext): InterviewerReply => {
        calls++;
        return {
          text: (async function* () {
            yield 'Let me think about that. ';
            yield 'Actually ';
            throw new Error('connection reset');
          })(),
        };
      },
    };
    const h = startRound({ interviewer: flaky });
    await pastOpening(h);
    candidateSays(h, 1000, 2000);
    await vi.waitFor(() => expect(h.ofType('notice')).toHaveLength(1), { interval: 1 });
    expect(calls).toBe(1);
    expect(h.ofType('notice')[0]?.message).toBe('connection reset');
    expect(h.round.floorState).toBe('listening');
    await settle(50);
    // Whatever audio of u2 was sent must be flushed: nothing may be left playing.
    const after = h.events.slice(h.events.findIndex((e) => e.type === 'notice'));
    const lateSpeech = after.filter((e) => e.type === 'speech' && e.utteranceId === 'u2');
    expect(lateSpeech).toEqual([]);
    const u2Speech = h.speech('u2');
    if (u2Speech.length > 0)
      expect(h.ofType('flush')).toContainEqual({ type: 'flush', utteranceId: 'u2' });
  });

  it('keeps hidden notes on each answer: journaled, never sent to the screen', async () => {
    const h = startRound({ interviewer: new ScriptedInterviewer() });
    await pastOpening(h);
    h.feedAudio(0, 8000);
    candidateSays(h, 3000, 6000);
    await h.spoken('u2');
    h.round.playback({ utteranceId: 'u2', event: 'started', atMs: millis(7400) });
    await vi.waitFor(() => expect(h.journalNotes.length).toBeGreaterThan(0), { interval: 1 });
    const question = testPack().questions[0]!;
    expect(h.journalNotes.every((n) => n.questionId === question.id && n.atMs === 3000)).toBe(true);
    // One note for the answer, its points by label, the missed ones included.
    expect(h.journalNotes.map((n) => n.kind)).toEqual(['answer']);
    expect(h.journalNotes[0]!.points.some((p) => !p.covered)).toBe(true);
    expect(JSON.stringify(h.events)).not.toContain('Missing:');
  });

  it('a stalled journal write does not hold the floor back', async () => {
    const h = startRound({ journalStalls: true });
    await h.spoken('u1');
    h.played('u1', 100, 2100);
    // Synchronously after playback ends, the candidate has the floor.
    expect(h.round.floorState).toBe('listening');
    expect(h.round.committedTurns).toHaveLength(1);
  });

  it('a journal that fails reports a notice but keeps the turn', async () => {
    const h = startRound({ journalFails: true });
    await h.spoken('u1');
    h.played('u1', 0, 1000);
    await vi.waitFor(() => expect(h.ofType('notice')).toHaveLength(1), { interval: 1 });
    expect(h.ofType('notice')[0]?.message).toBe('disk is full');
    expect(h.round.committedTurns).toHaveLength(1);
  });
});

describe('LiveRound: a transcriber that hears as the candidate speaks', () => {
  /** Interim text on demand; each piece's final text when the test says so. */
  class StreamingStt implements LiveTranscriber {
    readonly info = { kind: 'fake', model: 'streaming' };
    private listener: ((piece: number, text: string) => void) | null = null;
    private readonly finals: ((text: string) => void)[] = [];
    appended = 0;
    append(pcm: Int16Array): void {
      this.appended += pcm.length;
    }
    commit(): Promise<string> {
      return new Promise((resolve) => this.finals.push(resolve));
    }
    onInterim(listener: (piece: number, text: string) => void): void {
      this.listener = listener;
    }
    close(): void {}
    say(piece: number, text: string): void {
      this.listener?.(piece, text);
    }
    finish(piece: number, text: string): void {
      this.finals[piece]?.(text);
    }
  }

  it('drafts from the interim words at the pause, and is heard once the final text agrees', async () => {
    const live = new StreamingStt();
    const h = startRound({ replies: [OPENING, REPLY], live });
    await pastOpening(h);
    h.feedAudio(0, 2500);
    h.round.speechStart(millis(2000));
    h.feedAudio(2500, 4000);
    live.say(0, 'Followers fetch from the leader');
    h.feedAudio(4000, 5300);
    h.round.speechEnd(millis(5000));
    // The model is asked at once, from the interim words: no wait for the final text.
    await vi.waitFor(() => expect((h.interviewer as FakeInterviewer).contexts).toHaveLength(2), {
      interval: 1,
    });
    expect((h.interviewer as FakeInterviewer).contexts[1]?.turns.at(-1)?.text).toBe(
      'Followers fetch from the leader',
    );
    await settle(50);
    h.clock.advance(SILENCE_MS);
    expect(h.round.floorState).toBe('thinking');
    // The turn is over, but nothing is heard until the final text confirms the words.
    expect(h.speech('u2')).toEqual([]);
    live.finish(0, 'Followers fetch from the leader.');
    await h.spoken('u2');
    h.played('u2', 6500, 8000);
    expect(h.round.committedTurns.at(1)).toMatchObject({
      speaker: 'candidate',
      text: 'Followers fetch from the leader.',
    });
    expect((h.interviewer as FakeInterviewer).contexts).toHaveLength(2);
  });

  it('drafts again when the final words differ, and judges the pause by them', async () => {
    const live = new StreamingStt();
    const h = startRound({ replies: [OPENING, REPLY, THIRD], live });
    await pastOpening(h);
    h.feedAudio(0, 2500);
    h.round.speechStart(millis(2000));
    h.feedAudio(2500, 4300);
    live.say(0, 'I would partition by key');
    h.round.speechEnd(millis(4000));
    await vi.waitFor(() => expect((h.interviewer as FakeInterviewer).contexts).toHaveLength(2), {
      interval: 1,
    });
    // The final text says the sentence is unfinished: the longer thinking window applies.
    live.finish(0, 'I would partition by key and');
    await settle();
    h.clock.advance(SILENCE_MS + 500);
    expect(h.round.floorState).toBe('candidate-speaking');
    expect(h.speech('u2')).toEqual([]);
    h.clock.advance(THINKING_MS);
    await settle();
    expect(h.round.floorState).toBe('thinking');
    await vi.waitFor(() => expect((h.interviewer as FakeInterviewer).contexts).toHaveLength(3), {
      interval: 1,
    });
    expect((h.interviewer as FakeInterviewer).contexts[2]?.turns.at(-1)?.text).toBe(
      'I would partition by key and',
    );
  });
});

describe('LiveRound: offline with speech recognition on this computer', () => {
  it('the scripted interviewer hears the answer, follows up on the concept it missed, and notes it', async () => {
    const pack = testPack();
    pack.questions[0]!.followUps.push({
      kind: 'clarify',
      prompt: 'Where does the page cache come in?',
    });
    // A local recogniser that returns known text: the answer covers the segments only.
    const local = new SpySpeechToText(['Writes go to append-only segments on disk.']);
    const h = startRound({ pack, interviewer: new ScriptedInterviewer(), stt: local });
    await pastOpening(h);
    h.feedAudio(0, 8000);
    candidateSays(h, 3000, 6000);
    await h.spoken('u2');
    h.played('u2', 7400, 9000);
    await vi.waitFor(() => expect(h.journal.map((t) => t.speaker)).toHaveLength(3), {
      interval: 1,
    });
    expect(h.journal[1]).toMatchObject({
      speaker: 'candidate',
      text: 'Writes go to append-only segments on disk.',
    });
    expect(h.journal[2]).toMatchObject({
      speaker: 'interviewer',
      text: 'Where does the page cache come in?',
    });
    const [note] = h.journalNotes;
    expect(note!.points.map((p) => [p.label, p.covered])).toEqual([
      ['append-only segments', true],
      ['page cache', false],
    ]);
  });
});
