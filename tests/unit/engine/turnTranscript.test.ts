import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../src/core/audioFormat';
import { millis } from '../../../src/core/units';
import { CandidateAudio } from '../../../src/engine/candidateAudio';
import { TurnTranscript } from '../../../src/engine/turnTranscript';
import type { LiveTranscriber } from '../../../src/providers/types';

const samples = (ms: number) => Math.round((ms / 1000) * SAMPLE_RATE);
const PRE = samples(100);
const POST = samples(100);
const HOLDBACK = samples(150);

/** Records every sample it is sent (the candidate channel carries its own index). */
class RecordingTranscriber implements LiveTranscriber {
  readonly info = { kind: 'fake' };
  /** Per piece, the chunks appended to it; the last is the piece being spoken. */
  readonly chunks: Int16Array[][] = [[]];
  readonly prompts: (string | undefined)[] = [];
  readonly signals: (AbortSignal | undefined)[] = [];
  private interim: ((piece: number, text: string) => void) | null = null;
  private readonly pending: { resolve(text: string): void; reject(e: unknown): void }[] = [];
  closed = false;

  append(pcm: Int16Array): void {
    this.chunks.at(-1)!.push(pcm);
  }
  commit(options: { prompt?: string; signal?: AbortSignal }): Promise<string> {
    this.prompts.push(options.prompt);
    this.signals.push(options.signal);
    this.chunks.push([]);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  onInterim(listener: (piece: number, text: string) => void): void {
    this.interim = listener;
  }
  close(): void {
    this.closed = true;
  }
  say(piece: number, text: string): void {
    this.interim?.(piece, text);
  }
  finish(piece: number, text: string): void {
    this.pending[piece]!.resolve(text);
  }
  fail(piece: number, error: unknown): void {
    this.pending[piece]!.reject(error);
  }
  /** The samples of each piece committed so far. */
  get committed(): number[][] {
    return this.chunks.slice(0, -1).map((piece) => piece.flatMap((c) => Array.from(c)));
  }
  /** The samples of the piece being spoken. */
  get current(): number[] {
    return this.chunks.at(-1)!.flatMap((c) => Array.from(c));
  }
  get sentLength(): number {
    return this.chunks.flat().reduce((n, c) => n + c.length, 0);
  }
}

/** Candidate audio that notes every stretch read from it (what the transcript sends). */
class SlicedAudio extends CandidateAudio {
  readonly slices: [number, number][] = [];
  override slice(start: number, end: number): Int16Array {
    this.slices.push([start, end]);
    return super.slice(start, end);
  }
}

function setup() {
  const audio = new SlicedAudio(SAMPLE_RATE * 120);
  const stt = new RecordingTranscriber();
  const texts: string[] = [];
  const errors: unknown[] = [];
  const transcript = new TurnTranscript({
    transcriber: stt,
    audio,
    onText: (text) => texts.push(text),
    onError: (error) => errors.push(error),
  });
  /** Stereo frames up to `ms`; the candidate channel is the sample index (mod 2^15). */
  const arrive = (ms: number) => {
    const to = samples(ms);
    const from = audio.totalSamples;
    if (to <= from) return;
    const frames = new Int16Array((to - from) * 2);
    for (let i = 0; i < to - from; i++) {
      frames[i * 2] = (from + i) % 32768;
      frames[i * 2 + 1] = -1;
    }
    audio.pushStereo(frames);
    transcript.feed();
  };
  return { audio, stt, transcript, texts, errors, arrive };
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => (from + i) % 32768);

describe('the turn transcript, piece by piece', () => {
  it('sends a piece from just before its speech to just after, once, when it ends', async () => {
    const { stt, transcript, arrive } = setup();
    arrive(1200);
    transcript.speechStarted(millis(1000), true);
    arrive(3000);
    // While the piece is open, the newest 150 ms stay back (the end may lie in them).
    expect(stt.current).toEqual(range(samples(1000) - PRE, samples(3000) - HOLDBACK));
    arrive(3200);
    transcript.speechEnded(millis(3000));
    arrive(5000);
    expect(stt.committed).toEqual([range(samples(1000) - PRE, samples(3000) + POST)]);
    stt.finish(0, 'The leader appends.');
    expect(await transcript.settled()).toBe('The leader appends.');
  });

  it('a resumed turn adds pieces: nothing is sent twice, the earlier text is reused', async () => {
    const { stt, transcript, arrive } = setup();
    arrive(500);
    transcript.speechStarted(millis(500), true);
    arrive(2200);
    transcript.speechEnded(millis(2000));
    stt.finish(0, 'I would partition by key and');
    // A draft at this pause reads the first piece.
    expect(await transcript.settled()).toBe('I would partition by key and');
    // The candidate goes on 50 ms later: the pads would overlap; the audio is not resent.
    arrive(2300);
    transcript.speechStarted(millis(2050), false);
    arrive(4400);
    transcript.speechEnded(millis(4200));
    expect(stt.prompts[1]).toBe('I would partition by key and');
    stt.finish(1, 'then replicate it.');
    expect(await transcript.settled()).toBe('I would partition by key and then replicate it.');
    expect(stt.committed.flat()).toEqual(range(samples(500) - PRE, samples(4200) + POST));
  });

  it('a new turn starts from no pieces; failures are reported once and make no text', async () => {
    const { stt, transcript, arrive, errors } = setup();
    arrive(1000);
    transcript.speechStarted(millis(800), true);
    arrive(1500);
    transcript.speechEnded(millis(1300));
    stt.fail(0, new Error('network'));
    expect(await transcript.settled()).toBeNull();
    expect(errors).toHaveLength(1);

    transcript.speechStarted(millis(5000), true);
    arrive(6500);
    transcript.speechEnded(millis(6200));
    stt.finish(1, 'Fresh turn.');
    expect(await transcript.settled()).toBe('Fresh turn.');
    expect(stt.prompts[1]).toBeUndefined();
  });

  it('interim text gives a provisional turn at once; the live text follows it', async () => {
    const { stt, transcript, arrive, texts } = setup();
    arrive(800);
    transcript.speechStarted(millis(800), true);
    expect(transcript.provisional()).toBeNull();
    arrive(1500);
    stt.say(0, 'Each partition');
    arrive(2300);
    stt.say(0, 'Each partition has a leader');
    transcript.speechEnded(millis(2100));
    expect(transcript.provisional()).toBe('Each partition has a leader');
    stt.finish(0, 'Each partition has a leader.');
    await settle();
    expect(transcript.provisional()).toBe('Each partition has a leader.');
    expect(texts).toEqual([
      'Each partition',
      'Each partition has a leader',
      'Each partition has a leader.',
    ]);
  });

  it('close aborts what is pending and reports no error for it', async () => {
    const { stt, transcript, arrive, errors } = setup();
    arrive(1000);
    transcript.speechStarted(millis(500), true);
    transcript.speechEnded(millis(900));
    transcript.close();
    expect(stt.signals[0]?.aborted).toBe(true);
    expect(stt.closed).toBe(true);
    stt.fail(0, new Error('aborted'));
    await settle();
    expect(errors).toEqual([]);
  });

  it('never sends a sample twice nor loses one of speech, whatever the order of events', () => {
    const step = fc.record({
      gapMs: fc.integer({ min: 0, max: 1500 }),
      speechMs: fc.integer({ min: 50, max: 2500 }),
      newTurn: fc.boolean(),
      /** How late the end is reported, and how much audio has arrived by then. */
      lagMs: fc.integer({ min: 0, max: 250 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const { stt, transcript, arrive, audio } = setup();
        let t = 200;
        /** Each piece's span, to the end of the audio there was when its end was reported. */
        const spans: [number, number][] = [];
        for (const s of steps) {
          const start = t + s.gapMs;
          const end = start + s.speechMs;
          arrive(start + Math.min(s.lagMs, s.speechMs));
          transcript.speechStarted(millis(start), s.newTurn);
          for (let ms = start; ms < end + s.lagMs; ms += 100) arrive(ms);
          arrive(end + s.lagMs);
          transcript.speechEnded(millis(end));
          spans.push([samples(start) - PRE, Math.min(samples(end) + POST, samples(end + s.lagMs))]);
          t = end;
        }
        arrive(t + 1000);
        // Once each: the stretches sent follow one another without overlap…
        const sent = audio.slices;
        expect(
          sent.every(([from, to], i) => from < to && (i === 0 || from >= sent[i - 1]![1])),
        ).toBe(true);
        // …and cover every piece's speech, with its pads as far as the audio had come.
        const merged: [number, number][] = [];
        for (const [a, b] of sent) {
          const last = merged.at(-1);
          if (last && last[1] === a) last[1] = b;
          else merged.push([a, b]);
        }
        for (const [from, to] of spans) {
          const start = Math.max(0, from);
          expect(merged.some(([a, b]) => a <= start && to <= b)).toBe(true);
        }
        // What the transcriber was handed is exactly those stretches.
        const total = sent.reduce((n, [a, b]) => n + b - a, 0);
        expect(stt.sentLength).toBe(total);
      }),
      { numRuns: 100, seed: 14 },
    );
  });
});
