import { readFileSync } from 'node:fs';
import { SAMPLE_RATE } from '../../core/audioFormat';
import type { UsageRecord } from '../../core/usage';
import { concat } from '../batchLiveTranscriber';
import type { LiveTranscriber, SpeechToText } from '../types';
import { seededDelays, sleep } from './seededDelay';

/**
 * A benchmark's fake providers: fixed delays per stage, scripted words, and a voice. Set
 * with MOCKLOOP_FAKE_PROFILE=<json file> for stages set to `fake`; without it the fakes
 * answer at once, as tests expect.
 */
export interface FakeProfile {
  seed?: number;
  /** Speech-to-text: from the request to the final transcript. */
  sttMs?: number;
  /** Interviewer: to the first token, then between tokens. */
  interviewerFirstMs?: number;
  interviewerStepMs?: number;
  /** Text-to-speech: to the first audio. */
  ttsFirstMs?: number;
  ttsMsPerChar?: number;
  /** Raw 24 kHz mono s16le the fake voice speaks from (a tone without it). */
  voicePcm?: string;
  /** The interviewer's replies, in order (the pack's questions without it). */
  replies?: string[];
  /**
   * What the candidate says, turn by turn, as the stretches of speech between pauses
   * ("…partition by key and", "then replicate it."). See SegmentSpeechToText.
   */
  candidateTurns?: string[][];
  /** How long each of those stretches is spoken, ms (a streaming transcriber paces its words by it). */
  candidateSegmentMs?: number[][];
  /**
   * A transcriber that hears as the candidate speaks (the streaming profile): interim text
   * every `interimEveryMs` while a stretch is spoken, its final text `finalMs` after it ends.
   */
  sttStream?: { interimEveryMs: number; finalMs: number };
}

export const FAKE_PROFILE_ENV = 'MOCKLOOP_FAKE_PROFILE';

export function fakeProfileFromEnv(env: NodeJS.ProcessEnv = process.env): FakeProfile | null {
  const path = env[FAKE_PROFILE_ENV];
  if (!path) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as FakeProfile;
}

export function voiceFromProfile(profile: FakeProfile | null): Int16Array | undefined {
  if (!profile?.voicePcm) return undefined;
  const bytes = readFileSync(profile.voicePcm);
  return new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 2));
}

/** Audio quieter than this (-30 dBFS) is a pause (or an echo), not speech. */
const SPEECH_LEVEL = 1036;
const FRAME = 480; // 20 ms at 24 kHz
/** Silence this long splits two stretches of speech (the scripts' pauses are longer). */
const SPLIT_FRAMES = 20; // 400 ms

/**
 * A fake transcriber that hands out the script's stretches of speech in order, one per
 * piece of audio it is given (the engine sends each stretch once, as it ends): a piece
 * holding two stretches (the speech detector bridged a short pause) gets two, a piece with
 * no speech in it (echo, a click) gets nothing. Usage counts the audio it was sent.
 */
export class SegmentSpeechToText implements SpeechToText {
  readonly info = { kind: 'fake', model: 'scripted segments' };
  private next = 0;
  private readonly delay: () => number;
  private readonly segments: string[];

  constructor(
    turns: string[][],
    delayMs: number,
    seed = 1,
    private readonly onUsage?: (usage: UsageRecord) => void,
  ) {
    this.segments = turns.flat();
    this.delay = seededDelays(seed, delayMs, delayMs);
  }

  async transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (soFar: string) => void },
  ): Promise<string> {
    const heard = countSpeechStretches(audio);
    const text = Array.from({ length: heard }, () => this.take()).join(' ');
    await sleep(this.delay(), options.signal);
    this.onUsage?.({
      stage: 'stt',
      model: this.info.model,
      audioSeconds: audio.length / SAMPLE_RATE,
    });
    if (text) options.onDelta?.(text);
    return text;
  }

  private take(): string {
    const segment = this.segments[this.next % Math.max(1, this.segments.length)] ?? '';
    this.next++;
    return segment;
  }
}

/**
 * The streaming profile's transcriber: it hears each stretch as it is spoken, reporting the
 * words spoken so far every `interimEveryMs` (paced by the stretch's known length, from
 * where its speech starts in the audio) and the stretch's final text `finalMs` after it is
 * committed. Stretches come from the script in order, as with SegmentSpeechToText.
 */
export class FakeStreamingTranscriber implements LiveTranscriber {
  readonly info = { kind: 'fake', model: 'scripted stream' };
  private readonly segments: { text: string; ms: number }[];
  private next = 0;
  private pieces = 0;
  private piece: Int16Array[] = [];
  private listener: ((piece: number, text: string) => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  constructor(
    turns: string[][],
    segmentMs: number[][] | undefined,
    private readonly timing: { interimEveryMs: number; finalMs: number },
    private readonly onUsage?: (usage: UsageRecord) => void,
  ) {
    const ms = segmentMs?.flat() ?? [];
    this.segments = turns.flat().map((text, i) => ({ text, ms: ms[i] ?? text.length * 60 }));
  }

  append(pcm: Int16Array): void {
    if (this.closed || pcm.length === 0) return;
    this.piece.push(pcm);
    this.timer ??= setInterval(() => this.interim(), this.timing.interimEveryMs);
  }

  async commit(options: { signal?: AbortSignal }): Promise<string> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const audio = concat(this.piece);
    this.piece = [];
    this.pieces++;
    const heard = countSpeechStretches(audio);
    const text = Array.from({ length: heard }, () => this.take().text).join(' ');
    await sleep(this.timing.finalMs, options.signal);
    this.onUsage?.({
      stage: 'stt',
      model: this.info.model,
      audioSeconds: audio.length / SAMPLE_RATE,
    });
    return text;
  }

  onInterim(listener: (piece: number, text: string) => void): void {
    this.listener = listener;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * The words of the current stretch spoken so far: its share of the stretch's length,
   * counted from where the speech starts in the audio heard (a word counts once half of
   * it is heard).
   */
  private interim(): void {
    const segment = this.segments[this.next % Math.max(1, this.segments.length)];
    if (!segment) return;
    const spokenMs = msSinceSpeech(concat(this.piece));
    const words = segment.text.split(/\s+/).filter(Boolean);
    const count = Math.min(words.length, Math.round((words.length * spokenMs) / segment.ms));
    if (count > 0) this.listener?.(this.pieces, words.slice(0, count).join(' '));
  }

  private take(): { text: string; ms: number } {
    const segment = this.segments[this.next % Math.max(1, this.segments.length)] ?? {
      text: '',
      ms: 0,
    };
    this.next++;
    return segment;
  }
}

/** Milliseconds of the audio from its first frame loud enough to be speech to its end. */
function msSinceSpeech(audio: Int16Array): number {
  for (let start = 0; start + FRAME <= audio.length; start += FRAME) {
    if (frameRms(audio, start) >= SPEECH_LEVEL)
      return ((audio.length - start) * 1000) / SAMPLE_RATE;
  }
  return 0;
}

function frameRms(audio: Int16Array, start: number): number {
  let sum = 0;
  for (let i = start; i < start + FRAME; i++) sum += (audio[i] ?? 0) ** 2;
  return Math.sqrt(sum / FRAME);
}

export function countSpeechStretches(audio: Int16Array): number {
  let stretches = 0;
  let inSpeech = false;
  let quiet = 0;
  for (let start = 0; start + FRAME <= audio.length; start += FRAME) {
    const loud = frameRms(audio, start) >= SPEECH_LEVEL;
    if (loud) {
      if (!inSpeech) stretches++;
      inSpeech = true;
      quiet = 0;
    } else if (inSpeech && ++quiet >= SPLIT_FRAMES) {
      inSpeech = false;
    }
  }
  return stretches;
}
