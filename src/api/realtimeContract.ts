import { z } from 'zod';
import { sessionIdSchema } from '../core/session';

/**
 * Realtime (speech-to-speech) methods of the contract. The desktop's WebRTC call is placed
 * by the renderer with what a running round's `realtime-relay` event gives it — a
 * short-lived client secret minted by the backend, never the API key, and only for a
 * round the window owns. `realtime.events` carries back what the call's data channel
 * received, for the backend to drive the round.
 */

/**
 * Server events on WebRTC carry no audio (that is the media track): the largest are
 * `session.*` (the instructions) and `response.done` (the reply's items), a few tens of
 * kB. The limits leave room for those and refuse anything that could flood the backend.
 */
export const MAX_RELAYED_EVENT_CHARS = 256 * 1024;
export const MAX_RELAYED_EVENTS = 200;
export const MAX_RELAYED_BATCH_CHARS = 1024 * 1024;

const atMs = z
  .number()
  .finite()
  .nonnegative()
  .max(24 * 3600 * 1000);

export const realtimeRequests = {
  'realtime.events': z
    .object({
      sessionId: sessionIdSchema,
      /** Which call of the round (the backend numbers them); stale calls are ignored. */
      connection: z.number().int().positive().max(1_000_000),
      events: z.array(z.string().max(MAX_RELAYED_EVENT_CHARS)).max(MAX_RELAYED_EVENTS),
      /** Round time at which the call's media started flowing. */
      mediaStartedAtMs: atMs.optional(),
      closed: z
        .object({
          reason: z.enum(['closed', 'failed', 'refused']),
          /** The SDP request's HTTP status when the call was refused (0: unreachable). */
          status: z.number().int().min(0).max(599).optional(),
        })
        .strict()
        .optional(),
    })
    .strict()
    .refine(
      (r) => r.events.reduce((n, e) => n + e.length, 0) <= MAX_RELAYED_BATCH_CHARS,
      'too many relayed events at once',
    ),
} as const;

export interface RealtimeResponses {
  'realtime.events': null;
}

/** What a `realtime-relay` event hands the renderer to place the WebRTC call. */
export interface RealtimeCall {
  /** The ephemeral `ek_…` secret, valid for about two minutes. */
  clientSecret: string;
  /** Unix seconds. */
  expiresAt: number;
  /** POST the SDP offer here (Content-Type application/sdp, Bearer the secret). */
  callsUrl: string;
  model: string;
}
