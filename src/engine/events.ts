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
  | { type: 'usage'; usage: UsageSummary }
  /** Realtime over WebRTC: the renderer holds the call, the backend drives it. */
  | { type: 'realtime-relay'; relay: RealtimeRelayMessage };

/**
 * What the backend asks of the renderer's WebRTC call. `connection` numbers each call of
 * the round, so a late report from a call already replaced is ignored. The call carries
 * only an ephemeral client secret, never the API key.
 */
export type RealtimeRelayMessage =
  | {
      action: 'call';
      connection: number;
      call: { clientSecret: string; expiresAt: number; callsUrl: string; model: string };
    }
  /** Realtime client events (JSON text) for the data channel, in order. */
  | { action: 'send'; connection: number; events: string[] }
  | { action: 'hangup'; connection: number };

export type RoundEndReason = 'candidate-ended' | 'time-up' | 'disconnected' | 'budget';
