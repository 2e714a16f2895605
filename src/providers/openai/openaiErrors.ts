import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ProviderError, type Stage } from '../types';
import { MissingApiKeyError } from './openaiClient';

/**
 * Maps whatever the SDK (or fetch underneath it) threw into a ProviderError whose message
 * says what happened and what the user can do. Messages are built only from status codes,
 * error codes, model names, endpoint paths and the base URL: never from the server's free
 * text or our request, which may quote the candidate's words or the prompt.
 */

export interface OpenAIRequestContext {
  stage: Stage;
  /** Path below the base URL, e.g. '/audio/speech'. */
  endpoint: string;
  model?: string;
  /** The client's base URL, to say which server could not be reached. */
  baseURL: string;
  /** The caller's signal: an abort it caused is 'aborted', not a network failure. */
  signal?: AbortSignal;
}

const STAGE_NOUN: Record<Stage, string> = {
  stt: 'transcription',
  interviewer: 'interviewer',
  tts: 'speech',
};

export function toProviderError(error: unknown, context: OpenAIRequestContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const { stage } = context;
  const noun = STAGE_NOUN[stage];
  const host = hostOf(context.baseURL);

  if (context.signal?.aborted || error instanceof APIUserAbortError || isAbortError(error)) {
    return new ProviderError(stage, 'aborted', `The ${noun} request was cancelled.`);
  }
  if (error instanceof MissingApiKeyError) {
    return new ProviderError(stage, 'auth', error.message);
  }
  // The timeout error is a subclass of the connection error: test it first.
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError(
      stage,
      'timeout',
      `The ${noun} request to ${host} timed out. Check your connection, or raise the timeout in Settings.`,
      true,
    );
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError(
      stage,
      'network',
      `Could not reach ${context.baseURL}. Check your internet connection and the base URL in Settings.`,
      true,
    );
  }
  if (error instanceof APIError) return fromStatus(error, context);
  if (error instanceof SyntaxError) {
    return new ProviderError(
      stage,
      'bad-response',
      `${host} sent a ${noun} response that is not valid JSON. Is the base URL an OpenAI-compatible server?`,
    );
  }
  // fetch reports a body that ends early ("terminated") as a TypeError.
  if (error instanceof TypeError) {
    return new ProviderError(
      stage,
      'network',
      `The connection to ${host} dropped before the ${noun} response finished. Try again.`,
      true,
    );
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new ProviderError(stage, 'bad-response', `Unexpected ${noun} failure (${name}).`);
}

function fromStatus(error: APIError, context: OpenAIRequestContext): ProviderError {
  const { stage } = context;
  const noun = STAGE_NOUN[stage];
  const status = error.status;
  const code = typeof error.code === 'string' ? error.code : undefined;

  if (status === undefined) {
    // An `error` event inside an otherwise successful stream.
    return new ProviderError(
      stage,
      'server',
      `The server reported an error partway through the ${noun} response. Try again.`,
      true,
    );
  }
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
      `The server refused the ${noun} request (403). The key may lack access to ${modelPhrase(context)}.`,
    );
  }
  if (status === 404) return notFound(error, context);
  if (status === 429) {
    if (code === 'insufficient_quota' || error.type === 'insufficient_quota') {
      return new ProviderError(
        stage,
        'quota',
        'The account has run out of credit (429 insufficient_quota). Add credit in your OpenAI billing settings or use another key.',
      );
    }
    const retryAfterMs = retryAfterFrom(error.headers);
    const wait =
      retryAfterMs !== undefined
        ? ` The server asks to retry after ${Math.ceil(retryAfterMs / 1000)} seconds.`
        : '';
    return new ProviderError(
      stage,
      'rate-limit',
      `The ${noun} request was rate-limited (429).${wait} Wait a moment, then continue.`,
      true,
      retryAfterMs,
    );
  }
  if (status >= 500) {
    return new ProviderError(
      stage,
      'server',
      `The server failed the ${noun} request (${status}). This is usually temporary: try again in a moment.`,
      true,
      retryAfterFrom(error.headers),
    );
  }
  const detail = [code, error.param ? `parameter '${error.param}'` : undefined]
    .filter(Boolean)
    .join(', ');
  return new ProviderError(
    stage,
    'bad-response',
    `The server rejected the ${noun} request (${status}${detail ? `: ${detail}` : ''}) for ${modelPhrase(context)}.`,
  );
}

function notFound(error: APIError, context: OpenAIRequestContext): ProviderError {
  const host = hostOf(context.baseURL);
  const code = typeof error.code === 'string' ? error.code : '';
  // OpenAI says model_not_found; other servers only say so in their text, which we test
  // for the word but never quote.
  const aboutModel = code === 'model_not_found' || /\bmodel\b/i.test(error.message);
  if (aboutModel && context.model) {
    return new ProviderError(
      context.stage,
      'not-found',
      `${host} has no model "${context.model}" (404). Choose another ${STAGE_NOUN[context.stage]} model in Settings.`,
    );
  }
  return new ProviderError(
    context.stage,
    'not-found',
    `This server has no ${endpointPath(context)} endpoint (404). Check the base URL, or pick another provider for ${STAGE_NOUN[context.stage]} in Settings.`,
  );
}

/** retry-after-ms, or retry-after in seconds or as an HTTP date. */
export function retryAfterFrom(
  headers: { get(name: string): string | null } | undefined,
  now = Date.now(),
): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && headers?.get('retry-after-ms')) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function modelPhrase(context: OpenAIRequestContext): string {
  return context.model ? `the model "${context.model}"` : 'this endpoint';
}

/** '/v1/audio/speech' for base URL https://host/v1 and endpoint '/audio/speech'. */
function endpointPath(context: OpenAIRequestContext): string {
  try {
    const basePath = new URL(context.baseURL).pathname.replace(/\/+$/, '');
    return `${basePath}${context.endpoint}`;
  } catch {
    return context.endpoint;
  }
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
