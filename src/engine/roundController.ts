import type { Millis } from '../core/units';
import type { RealtimeRelayReport } from '../providers/realtimeVoice';
import type { PlaybackReport } from './liveRound';

/**
 * What the backend drives a live round through, whichever engine runs it: the cascade
 * (`LiveRound`: speech-to-text → interviewer → text-to-speech) or speech-to-speech
 * (`RealtimeRound`). The renderer's calls map one to one onto these methods.
 */
export interface RoundController {
  start(): void;
  /** Interleaved stereo frames from the renderer's recorder (candidate left), in order. */
  audioFrames(stereo: Int16Array): void;
  /** The renderer's own voice detector, on the round clock. */
  speechStart(atMs: Millis): void;
  speechEnd(atMs: Millis): void;
  /** "I'm done": the candidate's turn ends now. */
  done(atMs: Millis): void;
  /** Hold to think: no end of turn while held. */
  hold(on: boolean): void;
  /** What the renderer actually played of an utterance. */
  playback(report: PlaybackReport): void;
  end(): Promise<void>;
  /** The screen running the round went away; keep what was recorded. */
  disconnect(): Promise<void>;
  /** Make the next reply the farewell (e.g. the cost budget is spent). */
  wrapUp(message: string): void;
  /** Realtime over WebRTC only: what the renderer's call received (`realtime.events`). */
  realtimeEvents?(report: RealtimeRelayReport): void;
}
