import type { IpcMain, WebContents } from 'electron';
import type { ApiEvent } from '../api/contract';
import { dispatch, type ApiHandlers } from '../api/dispatcher';
import { isTrustedSender } from './security';

export const CALL_CHANNEL = 'mockloop:call';
export const EVENT_CHANNEL = 'mockloop:event';

/**
 * Electron's transport of the API: one invoke channel, checked sender, the same
 * dispatcher as browser mode. Events go back to the window that made the call.
 */
export function installIpcTransport(options: {
  ipcMain: IpcMain;
  handlers: ApiHandlers;
  origins: Set<string>;
}): void {
  options.ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, payload: unknown) => {
    if (!isTrustedSender(event.senderFrame, options.origins)) {
      return { ok: false, error: { code: 'forbidden', message: 'Untrusted sender.' } };
    }
    const contents: WebContents = event.sender;
    return dispatch(options.handlers, method, payload, {
      clientId: `window-${contents.id}`,
      emit: (apiEvent: ApiEvent) => {
        if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, apiEvent);
      },
    });
  });
}
