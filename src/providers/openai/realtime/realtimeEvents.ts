import type { UsageRecord } from '../../../core/usage';
import type { RealtimeVoiceEvent } from '../../realtimeVoice';
import { ProviderError } from '../../types';

/**
 * Realtime server events → the engine's events. Pure, and the one place the wire
 * protocol is read, so the WebSocket session and the WebRTC data-channel relay behave
 * the same. Accepts the GA event names and the older beta ones (`response.audio.delta`).
 * Nothing of the server's free text is put into messages: it may quote the candidate.
 */

export interface TranslateOptions {
  /** The realtime model, for usage records. */
  model: string;
  /** The input transcription model, for usage records. */
  transcriptionModel: string | null;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

/** Errors the engine causes in ordinary use (cancelling a response that just finished). */
const BENIGN_ERROR_CODES = new Set([
  'response_cancel_not_active',
  'conversation_already_has_active_response',
]);

export function translateRealtimeEvent(
  raw: unknown,
  options: TranslateOptions,
): RealtimeVoiceEvent | null {
  const e = obj(raw);
  switch (str(e['type'])) {
    case 'input_audio_buffer.speech_started':
      return {
        type: 'speech-started',
        itemId: str(e['item_id']),
        audioMs: num(e['audio_start_ms']),
      };
    case 'input_audio_buffer.speech_stopped':
      return { type: 'speech-stopped', itemId: str(e['item_id']), audioMs: num(e['audio_end_ms']) };
    case 'conversation.item.input_audio_transcription.delta':
      return { type: 'input-transcript-delta', itemId: str(e['item_id']), delta: str(e['delta']) };
    case 'conversation.item.input_audio_transcription.completed': {
      const usage = transcriptionUsage(e['usage'], options.transcriptionModel);
      return {
        type: 'input-transcript',
        itemId: str(e['item_id']),
        text: str(e['transcript']).trim(),
        ...(usage ? { usage } : {}),
      };
    }
    case 'conversation.item.input_audio_transcription.failed':
      return { type: 'input-transcript-failed', itemId: str(e['item_id']) };
    case 'response.created':
      return { type: 'response-started', responseId: str(obj(e['response'])['id']) };
    case 'response.output_audio.delta':
    case 'response.audio.delta':
      return {
        type: 'audio',
        responseId: str(e['response_id']),
        itemId: str(e['item_id']),
        pcm: decodePcm16(str(e['delta'])),
      };
    case 'response.output_audio_transcript.delta':
    case 'response.audio_transcript.delta':
      return {
        type: 'transcript-delta',
        responseId: str(e['response_id']),
        itemId: str(e['item_id']),
        delta: str(e['delta']),
      };
    case 'response.output_audio_transcript.done':
    case 'response.audio_transcript.done':
      return {
        type: 'transcript-done',
        responseId: str(e['response_id']),
        itemId: str(e['item_id']),
        text: str(e['transcript']),
      };
    case 'response.done': {
      const response = obj(e['response']);
      const status = str(response['status']);
      const usage = responseUsage(response['usage'], options.model);
      return {
        type: 'response-done',
        responseId: str(response['id']),
        status:
          status === 'cancelled' || status === 'failed' || status === 'incomplete'
            ? status
            : 'completed',
        ...(usage ? { usage } : {}),
      };
    }
    case 'error': {
      const error = obj(e['error']);
      const code = str(error['code']);
      if (BENIGN_ERROR_CODES.has(code)) return null;
      return { type: 'error', error: serverError(code, str(error['type']), options.model) };
    }
    default:
      return null;
  }
}

/** One server `error` event as something a user can act on. */
function serverError(code: string, type: string, model: string): ProviderError {
  if (code === 'invalid_api_key' || type === 'authentication_error') {
    return new ProviderError(
      'interviewer',
      'auth',
      'The API key was rejected. Check the key in Settings.',
    );
  }
  if (code === 'model_not_found') {
    return new ProviderError(
      'interviewer',
      'not-found',
      `The server has no realtime model "${model}". Choose another realtime model in Settings.`,
    );
  }
  if (code === 'insufficient_quota') {
    return new ProviderError(
      'interviewer',
      'quota',
      'The account has run out of credit (insufficient_quota). Add credit in your OpenAI billing settings or use another key.',
    );
  }
  if (code === 'rate_limit_exceeded' || type === 'rate_limit_error') {
    return new ProviderError(
      'interviewer',
      'rate-limit',
      'The realtime session was rate-limited. Wait a moment, then continue.',
      true,
    );
  }
  if (type === 'server_error') {
    return new ProviderError(
      'interviewer',
      'server',
      'The realtime server failed a request. This is usually temporary.',
      true,
    );
  }
  const detail = code || type || 'unknown';
  return new ProviderError(
    'interviewer',
    'bad-response',
    `The realtime server rejected a request (${detail}).`,
  );
}

function responseUsage(raw: unknown, model: string): UsageRecord | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const u = obj(raw);
  const input = obj(u['input_token_details']);
  const output = obj(u['output_token_details']);
  const audioIn = num(input['audio_tokens']);
  const audioOut = num(output['audio_tokens']);
  // Without the split, all tokens count as text (the cheaper rate, never an overestimate).
  const textIn =
    'text_tokens' in input ? num(input['text_tokens']) : num(u['input_tokens']) - audioIn;
  const textOut =
    'text_tokens' in output ? num(output['text_tokens']) : num(u['output_tokens']) - audioOut;
  return {
    stage: 'interviewer',
    model,
    inputTokens: Math.max(0, textIn),
    outputTokens: Math.max(0, textOut),
    audioInputTokens: audioIn,
    audioOutputTokens: audioOut,
  };
}

/**
 * Billed audio seconds when the server says them; token-billed transcription is left to
 * the engine, which prices the turn's length like the cascade's transcription does.
 */
function transcriptionUsage(raw: unknown, model: string | null): UsageRecord | undefined {
  const u = obj(raw);
  if (!model || u['type'] !== 'duration') return undefined;
  return { stage: 'stt', model, audioSeconds: num(u['seconds']) };
}

/** base64 of little-endian s16 → samples (a trailing odd byte is dropped). */
export function decodePcm16(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

export function encodePcm16(samples: Int16Array): string {
  const bytes = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i] ?? 0, i * 2);
  return bytes.toString('base64');
}
