import { createApiClient, type ApiClient } from '../../src/api/client';
import { ipcTransport } from './ipcTransport';
import { webSocketTransport } from './webSocketTransport';

/** Electron's preload bridge when present, browser mode's WebSocket otherwise. */
export function connectApi(onConnectionLost: () => void): ApiClient {
  const bridge = window.mockloop;
  return createApiClient(bridge ? ipcTransport(bridge) : webSocketTransport(onConnectionLost));
}
