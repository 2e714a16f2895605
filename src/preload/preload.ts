import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiMethod, ApiResult } from '../api/contract';

/**
 * The renderer's only door to the backend: one call and one event stream, nothing of
 * Node or Electron itself. Channel names mirror src/main/ipcTransport.ts.
 */
contextBridge.exposeInMainWorld('mockloop', {
  call: (method: ApiMethod, payload: unknown): Promise<ApiResult<unknown>> =>
    ipcRenderer.invoke('mockloop:call', method, payload),
  onEvent: (listener: (event: ApiEvent) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, apiEvent: ApiEvent) => listener(apiEvent);
    ipcRenderer.on('mockloop:event', handler);
    return () => ipcRenderer.removeListener('mockloop:event', handler);
  },
});
