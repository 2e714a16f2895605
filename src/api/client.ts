import type { ApiEvent, ApiMethod, ApiRequest, ApiResponses, ApiResult } from './contract';

/** What each transport provides to the renderer: one call, one event stream. */
export interface Transport {
  call(method: ApiMethod, payload: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface ApiClient {
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponses[M]>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(method, request) {
      const result = await transport.call(method, request);
      if (!result.ok) throw new ApiCallError(result.error.code, result.error.message);
      return result.value as never;
    },
    onEvent: (listener) => transport.onEvent(listener),
  };
}
