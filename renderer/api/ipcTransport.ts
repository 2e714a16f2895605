import type { Transport } from '../../src/api/client';
import type { ApiEvent, ApiMethod, ApiResult } from '../../src/api/contract';

/** What the preload script exposes through contextBridge (see src/preload/preload.ts). */
export interface MockloopBridge {
  call(method: ApiMethod, payload: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

declare global {
  interface Window {
    mockloop?: MockloopBridge;
  }
}

export function ipcTransport(bridge: MockloopBridge): Transport {
  return { call: (m, p) => bridge.call(m, p), onEvent: (l) => bridge.onEvent(l) };
}
