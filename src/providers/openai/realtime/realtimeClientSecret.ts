import type OpenAI from 'openai';
import type { RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import { toProviderError } from '../openaiErrors';

/**
 * Mints a short-lived client secret for a WebRTC call from the renderer: the session
 * config (persona, plan, voice, turn detection) is fixed here, in the backend, and the
 * renderer only ever holds the `ek_…` value — never the API key.
 */

export interface RealtimeClientSecret {
  value: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** Long enough to set up the call; the call itself outlives the secret. */
export const CLIENT_SECRET_TTL_SECONDS = 120;

export async function mintRealtimeClientSecret(
  client: OpenAI,
  session: RealtimeSessionCreateRequest,
  signal?: AbortSignal,
): Promise<RealtimeClientSecret> {
  try {
    const minted = await client.realtime.clientSecrets.create(
      { session, expires_after: { anchor: 'created_at', seconds: CLIENT_SECRET_TTL_SECONDS } },
      { signal },
    );
    return { value: minted.value, expiresAt: minted.expires_at };
  } catch (error) {
    throw toProviderError(error, {
      stage: 'interviewer',
      endpoint: '/realtime/client_secrets',
      model: session.model,
      baseURL: client.baseURL,
      ...(signal ? { signal } : {}),
    });
  }
}
