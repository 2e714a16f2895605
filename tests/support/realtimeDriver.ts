import { SAMPLE_RATE } from '../../src/core/audioFormat';
import type { InterviewerNote } from '../../src/core/interviewerNotes';
import type { RoundPack } from '../../src/core/roundPack';
import type { Turn } from '../../src/core/transcript';
import { millis } from '../../src/core/units';
import { UsageMeter, DEFAULT_PRICES, type UsageRecord } from '../../src/core/usage';
import type { RoundEndReason, RoundEvent } from '../../src/engine/events';
import { RealtimeRound } from '../../src/engine/realtimeRound';
import { FakeClock } from '../../src/engine/testing/fakeClock';
import { OpenAIRealtimeVoice } from '../../src/providers/openai/realtime/openaiRealtimeVoice';
import type { RetryPolicy } from '../../src/providers/resilience/retryPolicy';
import { fakeSpeechPcm } from './fakeOpenAIAudio';

/**
 * Drives a RealtimeRound the way the renderer does, without a browser: 100 ms stereo
 * frames (the candidate's signal left, what was played right), interviewer audio played
 * from a queue at exactly one sample per frame like the worklet, and playback reports
 * (started / ended / interrupted with the samples played). The round clock is the frame
 * count, so the test decides time; the fake server streams faster than that clock.
 */

const BLOCK = SAMPLE_RATE / 10;

interface Queued {
  id: string;
  pcm: Int16Array;
  offset: number;
}

export interface DriverOptions {
  pack: RoundPack;
  baseURL: string;
  apiKey: string;
  model?: string;
  transcriptionModel?: string | null;
  allowInterruptions?: boolean;
  turnDetection?: {
    turnDetection: 'server_vad' | 'semantic_vad';
    eagerness: 'low' | 'medium' | 'high' | 'auto';
    silenceMs: number;
  };
  responseStallMs?: number;
  /** A resumed round: how far into its plan it starts, and what was said before. */
  elapsedOffsetMs?: number;
  priorTurns?: Turn[];
}

export class RealtimeDriver {
  readonly clock = new FakeClock();
  readonly events: RoundEvent[] = [];
  readonly journal: Turn[] = [];
  readonly notes: InterviewerNote[] = [];
  readonly usage: UsageRecord[] = [];
  readonly sleeps: number[] = [];
  readonly recorded: Int16Array[] = [];
  readonly round: RealtimeRound;
  readonly meter = new UsageMeter(DEFAULT_PRICES);
  finished: { reason: RoundEndReason; turns: Turn[] } | null = null;
  /** Interviewer samples played so far, per utterance. */
  readonly played = new Map<string, number>();
  private queue: Queued[] = [];
  private complete = new Set<string>();
  private current: string | null = null;
  private frame = 0;

  constructor(options: DriverOptions) {
    const policy: RetryPolicy = {
      retries: 3,
      baseMs: 100,
      maxMs: 1000,
      random: () => 0.5,
      // Waits are recorded, not slept: retry-after must be honoured, not endured.
      sleep: async (ms) => void this.sleeps.push(ms),
    };
    this.round = new RealtimeRound({
      pack: options.pack,
      clock: this.clock,
      voice: new OpenAIRealtimeVoice({
        apiKey: options.apiKey,
        baseURL: options.baseURL,
        model: options.model ?? 'gpt-realtime',
        transcriptionModel:
          options.transcriptionModel === undefined
            ? 'gpt-4o-transcribe'
            : options.transcriptionModel,
        turnDetection: options.turnDetection ?? {
          turnDetection: 'server_vad',
          eagerness: 'auto',
          silenceMs: 500,
        },
        connectTimeoutMs: 5000,
      }),
      recorder: {
        write: (frames) => void this.recorded.push(frames.slice()),
        close: async () => ({ durationMs: (this.frame / SAMPLE_RATE) * 1000 }),
      },
      journal: {
        appendTurn: async (turn) => void this.journal.push(turn),
        appendNotes: async (notes) => void this.notes.push(...notes),
      },
      allowInterruptions: options.allowInterruptions ?? true,
      retryPolicy: policy,
      responseStallMs: millis(options.responseStallMs ?? 10_000),
      ...(options.elapsedOffsetMs !== undefined
        ? { elapsedOffsetMs: millis(options.elapsedOffsetMs) }
        : {}),
      ...(options.priorTurns ? { priorTurns: options.priorTurns } : {}),
      emit: (event) => this.onEvent(event),
      onUsage: (u) => {
        this.usage.push(u);
        this.meter.add(u);
      },
      onFinished: async ({ reason, turns }) => {
        this.finished = { reason, turns: [...turns] };
      },
    });
  }

  get nowMs(): number {
    return (this.frame / SAMPLE_RATE) * 1000;
  }

  turns(): Turn[] {
    return this.events.flatMap((e) => (e.type === 'turn' ? [e.turn] : []));
  }

  of<T extends RoundEvent['type']>(type: T): Extract<RoundEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<RoundEvent, { type: T }> => e.type === type);
  }

  private onEvent(event: RoundEvent): void {
    this.events.push(event);
    if (event.type === 'speech') {
      const pcm = new Int16Array(event.pcm.byteLength / 2);
      new Uint8Array(pcm.buffer).set(event.pcm);
      if (pcm.length > 0) this.queue.push({ id: event.utteranceId, pcm, offset: 0 });
      if (event.last) this.complete.add(event.utteranceId);
      this.maybeEnd(event.utteranceId);
    } else if (event.type === 'flush') {
      // As the worklet does: report what was heard of the one playing, drop the rest.
      if (this.current) {
        const id = this.current;
        this.round.playback({
          utteranceId: id,
          event: 'interrupted',
          atMs: millis(this.nowMs),
          playedSamples: this.played.get(id) ?? 0,
        });
      }
      this.queue = [];
      this.current = null;
    }
  }

  private maybeEnd(id: string): void {
    if (!this.complete.has(id) || this.queue.some((q) => q.id === id)) return;
    if (this.current !== id) return;
    this.current = null;
    this.round.playback({
      utteranceId: id,
      event: 'ended',
      atMs: millis(this.nowMs),
      playedSamples: this.played.get(id) ?? 0,
    });
  }

  /** Play `ms` of round time with the candidate silent or speaking (a voiced tone). */
  async feed(ms: number, candidate: 'silence' | 'speech' = 'silence'): Promise<void> {
    const blocks = Math.round(ms / 100);
    const voice = candidate === 'speech' ? fakeSpeechPcm('x'.repeat(Math.ceil(ms / 60) + 2)) : null;
    for (let b = 0; b < blocks; b++) {
      // Let the server's events arrive; wait for audio when the reply is still streaming.
      await tick();
      await this.awaitAudio();
      const stereo = new Int16Array(BLOCK * 2);
      for (let i = 0; i < BLOCK; i++) {
        stereo[i * 2] = voice ? (voice[b * BLOCK + i] ?? 0) : 0;
        stereo[i * 2 + 1] = this.nextSample();
      }
      this.frame += BLOCK;
      this.round.audioFrames(stereo);
    }
    await tick();
  }

  private async awaitAudio(): Promise<void> {
    const head = this.queue[0];
    const streaming = this.current !== null && !this.complete.has(this.current);
    if (head && head.pcm.length - head.offset >= BLOCK) return;
    if (!streaming) return;
    await until(() => {
      const buffered = this.queue.reduce((n, q) => n + q.pcm.length - q.offset, 0);
      return buffered >= BLOCK || this.current === null || this.complete.has(this.current);
    }, 5000).catch(() => undefined);
  }

  private nextSample(): number {
    const head = this.queue[0];
    if (!head) return 0;
    if (this.current !== head.id) {
      this.current = head.id;
      this.played.set(head.id, 0);
      this.round.playback({ utteranceId: head.id, event: 'started', atMs: millis(this.nowMs) });
    }
    const s = head.pcm[head.offset++] ?? 0;
    this.played.set(head.id, (this.played.get(head.id) ?? 0) + 1);
    if (head.offset >= head.pcm.length) {
      this.queue.shift();
      this.maybeEnd(head.id);
    }
    return s;
  }

  /** Feed silence until `check` holds (the round clock runs meanwhile). */
  async feedUntil(check: () => boolean, maxMs = 60_000): Promise<void> {
    for (let t = 0; t < maxMs && !check(); t += 100) await this.feed(100);
    if (!check()) throw new Error('condition not reached within the fed time');
  }
}

export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
