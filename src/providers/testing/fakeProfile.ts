import { readFileSync } from 'node:fs';
import type { SpeechToText } from '../types';
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
 * A fake transcriber that hears how far the candidate has got: it counts the stretches of
 * speech in the audio it is handed and returns that many of the current turn's scripted
 * segments. So a draft made at a thinking pause gets "…by key and" and the final one the
 * whole answer, as a real streaming transcriber would give. Calls for the same turn are
 * handed audio from the same start (the engine slices from the turn's start), which is how
 * it tells a later draft of this turn from the next turn.
 */
export class SegmentSpeechToText implements SpeechToText {
  readonly info = { kind: 'fake', model: 'scripted segments' };
  private turn = -1;
  private lastHead: Int16Array | null = null;
  private readonly delay: () => number;

  constructor(
    private readonly turns: string[][],
    delayMs: number,
    seed = 1,
  ) {
    this.delay = seededDelays(seed, delayMs, delayMs);
  }

  async transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (soFar: string) => void },
  ): Promise<string> {
    const head = audio.subarray(0, Math.min(audio.length, 2400));
    const sameTurn =
      this.lastHead !== null &&
      this.lastHead.length === head.length &&
      head.every((v, i) => v === this.lastHead?.[i]);
    if (!sameTurn) this.turn++;
    this.lastHead = head.slice();
    const segments = this.turns[this.turn % Math.max(1, this.turns.length)] ?? [];
    const heard = Math.min(segments.length, countSpeechStretches(audio));
    const text = segments.slice(0, heard).join(' ');
    await sleep(this.delay(), options.signal);
    if (text) options.onDelta?.(text);
    return text;
  }
}

export function countSpeechStretches(audio: Int16Array): number {
  let stretches = 0;
  let inSpeech = false;
  let quiet = 0;
  for (let start = 0; start + FRAME <= audio.length; start += FRAME) {
    let sum = 0;
    for (let i = start; i < start + FRAME; i++) sum += (audio[i] ?? 0) ** 2;
    const loud = Math.sqrt(sum / FRAME) >= SPEECH_LEVEL;
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
