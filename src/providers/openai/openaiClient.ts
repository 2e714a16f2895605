import OpenAI, { APIConnectionTimeoutError } from 'openai';

/**
 * One place that builds the OpenAI SDK client for every stage, so key, base URL, timeout
 * and retry policy are the same for transcription, the interviewer and speech.
 */

export interface OpenAIClientOptions {
  /** Falls back to OPENAI_API_KEY (the SDK reads it) when empty or not given. */
  apiKey?: string;
  /** Any OpenAI-compatible server, ending in /v1. Falls back to OPENAI_BASE_URL, then OpenAI. */
  baseURL?: string;
  /** Per request, until response headers arrive; streams are guarded by withIdleTimeout. */
  timeoutMs: number;
  /** The SDK's own retries of 429/5xx/connection failures (off by default, see below). */
  maxRetries?: number;
}

/**
 * Retries happen one layer up (src/providers/resilience), where they are visible to the
 * user as "reconnecting" and respect retry-after; the SDK's own silent retries are off.
 */
const DEFAULT_MAX_RETRIES = 0;

/** No key was given and OPENAI_API_KEY is unset. Mapped to a ProviderError 'auth'. */
export class MissingApiKeyError extends Error {
  constructor() {
    super('No OpenAI API key is set. Add one in Settings or set OPENAI_API_KEY.');
    this.name = 'MissingApiKeyError';
  }
}

/** Throws MissingApiKeyError when no key is available from options or the environment. */
export function createOpenAIClient(options: OpenAIClientOptions): OpenAI {
  const apiKey = options.apiKey || undefined;
  if (!apiKey && !readEnv('OPENAI_API_KEY')) throw new MissingApiKeyError();
  return new OpenAI({
    // Undefined (not '') lets the SDK apply its own environment defaults.
    apiKey,
    baseURL: options.baseURL || undefined,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
  });
}

function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.[name]?.trim() || undefined;
}

/**
 * The SDK's timeout stops at response headers; a stream that stalls afterwards would hang
 * the round forever. This yields from `source` and, when nothing arrives for `idleMs`,
 * calls `abort` (to release the connection) and throws the SDK's timeout error, which
 * openaiErrors maps like any other timeout.
 */
export async function* withIdleTimeout<T>(
  source: AsyncIterable<T>,
  idleMs: number,
  abort: () => void,
): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<'stalled'>((resolve) => {
        timer = setTimeout(() => resolve('stalled'), idleMs);
      });
      const next = await Promise.race([iterator.next(), stalled]).finally(() =>
        clearTimeout(timer),
      );
      if (next === 'stalled') {
        abort();
        throw new APIConnectionTimeoutError({ message: 'The response stream stalled.' });
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Early exit (break, error, stall): let the source release its request.
    if (!finished) void iterator.return?.()?.catch(() => undefined);
  }
}
