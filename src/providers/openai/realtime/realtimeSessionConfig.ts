import type { RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import { SAMPLE_RATE } from '../../../core/audioFormat';
import type { Settings } from '../../../core/settings';

/**
 * The Realtime session configuration, one builder for both transports: the WebSocket
 * path sends it as `session.update`, the WebRTC path mints the client secret with it.
 */

export interface RealtimeSessionOptions {
  model: string;
  instructions: string;
  /** The persona's OpenAI voice. */
  voice: string;
  /** Input transcription model, or null for no candidate transcript. */
  transcriptionModel: string | null;
  turnDetection: Pick<Settings['realtime'], 'turnDetection' | 'eagerness' | 'silenceMs'>;
  /**
   * Let the server stop the voice itself when the candidate cuts in (WebRTC only: there
   * the server paces the audio out and knows how much was played, so it clears its
   * buffer and truncates the reply at once, a round trip sooner than the engine could).
   */
  serverInterrupts?: boolean;
}

const PCM = { type: 'audio/pcm', rate: SAMPLE_RATE } as const;

export function buildRealtimeSession(
  options: RealtimeSessionOptions,
): RealtimeSessionCreateRequest {
  const t = options.turnDetection;
  // The engine decides when to answer (hold-to-think, "I'm done", the time plan) and,
  // over a WebSocket, handles interruptions itself: only it knows how much was played.
  const common = { create_response: false, interrupt_response: options.serverInterrupts ?? false };
  return {
    type: 'realtime',
    model: options.model,
    instructions: options.instructions,
    output_modalities: ['audio'],
    audio: {
      input: {
        format: PCM,
        ...(options.transcriptionModel
          ? { transcription: { model: options.transcriptionModel } }
          : {}),
        turn_detection:
          t.turnDetection === 'semantic_vad'
            ? { type: 'semantic_vad', eagerness: t.eagerness, ...common }
            : { type: 'server_vad', silence_duration_ms: t.silenceMs, ...common },
      },
      output: { format: PCM, voice: options.voice },
    },
  };
}

/** ws(s)://…/realtime?model=… from the HTTP base URL (…/v1) of the same server. */
export function realtimeSocketUrl(baseURL: string, model: string): string {
  const url = new URL(baseURL);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/realtime`;
  url.search = '';
  url.searchParams.set('model', model);
  return url.toString();
}

/** Where the renderer posts its SDP offer (WebRTC), on the same server. */
export function realtimeCallsUrl(baseURL: string): string {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/realtime/calls`;
  url.search = '';
  return url.toString();
}
