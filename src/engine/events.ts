import type { RoundSummary } from '../core/summary';
import type { Turn } from '../core/transcript';
import type { UsageSummary } from '../core/usage';
import type { RoundPhase, Stage } from '../providers/types';
import type { FloorState } from './turnTaking';

/** What the live round tells the screen. Carried to the renderer by either transport. */
export type RoundEvent =
  | {
      type: 'state';
      floor: FloorState;
      phase: RoundPhase;
      remainingMs: number;
      holding: boolean;
    }
  /** Interviewer audio: 24 kHz mono s16le. `last` closes the utterance. */
  | { type: 'speech'; utteranceId: string; seq: number; pcm: Uint8Array; last: boolean }
  /** Turn the interviewer down while a possible interruption is confirmed (or back up). */
  | { type: 'duck'; on: boolean }
  /** Stop playback now and drop everything queued (barge-in). */
  | { type: 'flush'; utteranceId: string }
  /** Live transcription of the candidate's current turn. */
  | { type: 'transcript-delta'; text: string }
  | { type: 'turn'; turn: Turn }
  | { type: 'notice'; level: 'error' | 'warning' | 'info'; stage?: Stage; message: string }
  /** A provider is retrying, has recovered, or was replaced by the embedded one. */
  | {
      type: 'provider-status';
      stage: Stage;
      state: 'reconnecting' | 'recovered' | 'fallback';
      message: string;
    }
  | { type: 'ended'; reason: RoundEndReason; summary: RoundSummary }
  /** What the round has used and cost so far. */
  | { type: 'usage'; usage: UsageSummary };

export type RoundEndReason = 'candidate-ended' | 'time-up' | 'disconnected' | 'budget';
