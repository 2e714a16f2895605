import type { Settings } from '../core/settings';
import { isOnThisComputer } from '../core/thisComputer';
import { createOpenAIClient } from '../providers/openai/openaiClient';
import { toProviderError } from '../providers/openai/openaiErrors';
import type { ProviderError } from '../providers/types';

export interface ConnectionCheck {
  ok: boolean;
  /** 'auth' (wrong key), 'quota', 'rate-limit', 'network', 'not-found', …; absent when ok. */
  code?: ProviderError['code'];
  message: string;
  /** Models the server lists (empty when it has no /v1/models). */
  models: string[];
}

/** A model server on this computer loads the model on its first request: give it time. */
const LOCAL_SERVER_TIMEOUT_MS = 120_000;

/**
 * The cheapest calls that tell a wrong key, no credit, a rate limit and no network apart:
 * list the models (free; checks the key and the network), then ask the interviewer model
 * for one token (the only way to learn that the account has no credit).
 */
export async function checkConnection(
  settings: Settings,
  apiKey: string | undefined,
  baseUrl: string | undefined,
): Promise<ConnectionCheck> {
  const o = settings.openai;
  const local = isOnThisComputer(baseUrl);
  let models: string[] = [];
  try {
    const client = createOpenAIClient({
      apiKey: apiKey || (baseUrl ? 'local-server' : undefined),
      baseURL: baseUrl,
      timeoutMs: local
        ? Math.max(o.timeoutMs, LOCAL_SERVER_TIMEOUT_MS)
        : Math.min(o.timeoutMs, 15_000),
    });
    const context = { stage: 'interviewer' as const, baseURL: client.baseURL };
    try {
      const page = await client.models.list();
      models = page.data.map((m) => m.id).sort();
    } catch (error) {
      const failure = toProviderError(error, { ...context, endpoint: '/models' });
      // A server without a model list can still be fine; anything else is the answer.
      if (failure.code !== 'not-found') throw failure;
    }
    try {
      await client.chat.completions.create({
        model: o.interviewerModel,
        messages: [{ role: 'user', content: 'ping' }],
        // OpenAI's reasoning models refuse max_tokens; Ollama ignores
        // max_completion_tokens and would write a whole reply, which on a laptop's CPU
        // can outlast the check. Servers on this computer all honour max_tokens.
        ...(local ? { max_tokens: 1 } : { max_completion_tokens: 1 }),
      });
    } catch (error) {
      throw toProviderError(error, {
        ...context,
        endpoint: '/chat/completions',
        model: o.interviewerModel,
      });
    }
    return {
      ok: true,
      message: `Connected to ${client.baseURL}. The interviewer model "${o.interviewerModel}" answered.`,
      models,
    };
  } catch (error) {
    const failure = toProviderError(error, {
      stage: 'interviewer',
      endpoint: '/models',
      baseURL: baseUrl || 'https://api.openai.com/v1',
    });
    return { ok: false, code: failure.code, message: failure.message, models };
  }
}
