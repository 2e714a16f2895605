import type { Persona } from '../core/roundPack';
import type { Turn } from '../core/transcript';
import type { UsageRecord } from '../core/usage';
import type { InterviewContext, ProviderError, ProviderInfo } from './types';

/**
 * Speech-to-speech behind one small interface, so the realtime engine knows nothing of
 * the wire protocol or the transport (a WebSocket from the backend, or a WebRTC data
 * channel relayed by the renderer). Audio crossing it is 24 kHz mono s16 PCM.
 */

/** What the session reports, already translated from the provider's protocol. */
export type RealtimeVoiceEvent =
  /** Times are on this connection's input-audio clock (ms of audio appended to it). */
  | { type: 'speech-started'; itemId: string; audioMs: number }
  | { type: 'speech-stopped'; itemId: string; audioMs: number }
  | { type: 'input-transcript-delta'; itemId: string; delta: string }
  | { type: 'input-transcript'; itemId: string; text: string; usage?: UsageRecord }
  | { type: 'input-transcript-failed'; itemId: string }
  | { type: 'response-started'; responseId: string }
  | { type: 'audio'; responseId: string; itemId: string; pcm: Int16Array }
  | { type: 'transcript-delta'; responseId: string; itemId: string; delta: string }
  | { type: 'transcript-done'; responseId: string; itemId: string; text: string }
  | {
      type: 'response-done';
      responseId: string;
      status: 'completed' | 'cancelled' | 'failed' | 'incomplete' | 'in_progress';
      usage?: UsageRecord;
    }
  /** The server reported a problem with one request; the session goes on. */
  | { type: 'error'; error: ProviderError }
  /** The connection is gone; `error` is null when we closed it ourselves. */
  | { type: 'closed'; error: ProviderError | null };

export type VoiceMove = 'open' | 'reply';

export interface RealtimeSession {
  /** The candidate's microphone, in order. */
  appendAudio(pcm: Int16Array): void;
  /** End the candidate's turn now ("I'm done"), without waiting for the server's detector. */
  commitAudio(): void;
  /**
   * Bring the instructions up to date (plan, clock, notes) and speak. `recap`: turns said
   * before this session existed (after a reconnect), which it has not heard.
   */
  respond(context: InterviewContext, move: VoiceMove, recap: readonly Turn[]): void;
  cancelResponse(): void;
  /** Only `audioEndMs` of the item's audio was heard: drop the rest from the conversation. */
  truncate(itemId: string, audioEndMs: number): void;
  close(): void;
  /**
   * Round time (ms) at which this session's input-audio clock starts, when the transport
   * knows it (WebRTC: when the call's media began flowing). Otherwise the engine takes the
   * moment the session became ready.
   */
  readonly inputClockStartMs?: number;
}

export interface RealtimeConnectOptions {
  persona: Persona;
  /** The round so far: after a reconnect the new session is told what was said. */
  context: InterviewContext;
  recap: readonly Turn[];
  onEvent(event: RealtimeVoiceEvent): void;
  signal?: AbortSignal;
}

export interface RealtimeVoice {
  readonly info: ProviderInfo;
  /**
   * `events` (default): the candidate's audio is appended and the model's voice arrives as
   * `audio` events. `media`: both travel as WebRTC media tracks in the renderer, which
   * plays and records the voice itself and reports playback by response id.
   */
  readonly audioPath?: 'events' | 'media';
  /** What transcribes the candidate's turns; null when they get no transcript. */
  readonly transcriptionModel: string | null;
  /** Resolves once the session is configured; rejects with a ProviderError. */
  connect(options: RealtimeConnectOptions): Promise<RealtimeSession>;
}

/**
 * What the renderer reports from its WebRTC call (`realtime.events`): the server events it
 * received on the data channel, as JSON text, and what became of the call.
 */
export interface RealtimeRelayReport {
  connection: number;
  events: readonly string[];
  /** Round time at which the call's media started flowing (sent once, when it does). */
  mediaStartedAtMs?: number;
  /** The call ended or could not be set up (`status`: the SDP request's HTTP status). */
  closed?: { reason: 'closed' | 'failed' | 'refused'; status?: number };
}

/** Where those reports go in the backend (the relay voice of a WebRTC round). */
export interface RealtimeRelayInbox {
  receive(report: RealtimeRelayReport): void;
}
