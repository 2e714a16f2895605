import { decode, encode } from '@msgpack/msgpack';
import type { ApiEvent, ApiResult } from '../api/contract';

/**
 * Browser mode's WebSocket frames are MessagePack, so audio travels as binary rather
 * than base64 text.
 */
export type ClientFrame = { id: number; method: string; payload: unknown };
export type ServerFrame =
  { t: 'result'; id: number; result: ApiResult<unknown> } | { t: 'event'; event: ApiEvent };

export function encodeFrame(frame: ClientFrame | ServerFrame): Uint8Array {
  return encode(frame, { ignoreUndefined: true });
}

export function decodeClientFrame(data: Uint8Array): ClientFrame | null {
  let value: unknown;
  try {
    value = decode(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  if (typeof frame.id !== 'number' || !Number.isSafeInteger(frame.id)) return null;
  if (typeof frame.method !== 'string') return null;
  return { id: frame.id, method: frame.method, payload: frame.payload };
}

export function decodeServerFrame(data: Uint8Array): ServerFrame {
  return decode(data) as ServerFrame;
}
