import type { z } from 'zod';
import {
  apiRequests,
  isApiMethod,
  type ApiErrorCode,
  type ApiEvent,
  type ApiMethod,
  type ApiParsedRequest,
  type ApiResponses,
  type ApiResult,
} from './contract';

/** Who is calling: transports fill this in; handlers use it to route events back. */
export interface CallContext {
  clientId: string;
  emit(event: ApiEvent): void;
}

export type ApiHandlers = {
  [M in ApiMethod]: (
    request: ApiParsedRequest<M>,
    context: CallContext,
  ) => Promise<ApiResponses[M]>;
};

/** A handler's failure that the user should read as is. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'request'}: ${i.message}`)
    .join('; ');
}

/**
 * The shared entry point of both transports: checks the method name and the request
 * against the contract before any handler sees it, and turns every failure into a
 * result the renderer can show (never a crash of the backend).
 */
export async function dispatch(
  handlers: ApiHandlers,
  method: unknown,
  payload: unknown,
  context: CallContext,
): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: 'bad-request', message: 'Unknown API method.' } };
  }
  const parsed = apiRequests[method].safeParse(payload ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'bad-request',
        message: `Invalid ${method} request: ${describeIssues(parsed.error)}`,
      },
    };
  }
  try {
    const handler = handlers[method] as (r: unknown, c: CallContext) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data, context) };
  } catch (error) {
    if (error instanceof ApiError)
      return { ok: false, error: { code: error.code, message: error.message } };
    const message = error instanceof Error ? error.message : 'Unexpected error';
    return { ok: false, error: { code: 'failed', message } };
  }
}
