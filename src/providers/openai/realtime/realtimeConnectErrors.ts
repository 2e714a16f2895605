import type { IncomingHttpHeaders } from 'node:http';
import { ProviderError, type Stage } from '../../types';
import { retryAfterFrom } from '../openaiErrors';

/**
 * Why a Realtime WebSocket could not open, as something a user can act on. Built only from
 * the status, headers, model and host: never from the server's text or our request.
 */
export function upgradeRefused(
  status: number,
  headers: IncomingHttpHeaders,
  context: { model: string; host: string },
  stage: Stage = 'interviewer',
): ProviderError {
  const get = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
  };
  if (status === 401) {
    return new ProviderError(
      stage,
      'auth',
      'The API key was rejected (401). Check the key in Settings.',
    );
  }
  if (status === 403) {
    return new ProviderError(
      stage,
      'auth',
      `The server refused the realtime session (403). The key may lack access to the model "${context.model}".`,
    );
  }
  if (status === 404) {
    return new ProviderError(
      stage,
      'not-found',
      `${context.host} has no realtime endpoint or no model "${context.model}" (404). Check the base URL, or choose another realtime model in Settings.`,
    );
  }
  const retryAfterMs = retryAfterFrom({ get });
  if (status === 429) {
    const wait =
      retryAfterMs !== undefined
        ? ` The server asks to retry after ${Math.ceil(retryAfterMs / 1000)} seconds.`
        : '';
    return new ProviderError(
      stage,
      'rate-limit',
      `The realtime session was rate-limited (429).${wait}`,
      true,
      retryAfterMs,
    );
  }
  if (status >= 500) {
    return new ProviderError(
      stage,
      'server',
      `The server failed to open the realtime session (${status}). This is usually temporary.`,
      true,
      retryAfterMs,
    );
  }
  return new ProviderError(
    stage,
    'bad-response',
    `The server refused the realtime session (${status}) for the model "${context.model}".`,
  );
}

export function connectionLost(host: string, stage: Stage = 'interviewer'): ProviderError {
  return new ProviderError(
    stage,
    'network',
    `The realtime connection to ${host} dropped. Reconnecting.`,
    true,
  );
}

export function unreachable(baseURL: string, stage: Stage = 'interviewer'): ProviderError {
  return new ProviderError(
    stage,
    'network',
    `Could not reach ${baseURL} for a realtime session. Check your connection and the base URL in Settings.`,
    true,
  );
}

export function connectTimedOut(host: string, stage: Stage = 'interviewer'): ProviderError {
  return new ProviderError(
    stage,
    'timeout',
    `The realtime session at ${host} did not start in time. Check your connection, or raise the timeout in Settings.`,
    true,
  );
}
