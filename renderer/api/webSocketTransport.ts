import { decode, encode } from '@msgpack/msgpack';
import type { Transport } from '../../src/api/client';
import type { ApiEvent, ApiResult } from '../../src/api/contract';

type ServerFrame =
  { t: 'result'; id: number; result: ApiResult<unknown> } | { t: 'event'; event: ApiEvent };

/**
 * Browser mode's transport: one WebSocket to the local backend. The access token rides
 * on the cookie the page was served with (and on the URL the user opened).
 */
export function webSocketTransport(onConnectionLost: () => void): Transport {
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  const listeners = new Set<(event: ApiEvent) => void>();
  let nextId = 1;
  const token = new URLSearchParams(location.search).get('token');
  const url = new URL('./api', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = token ? `?token=${encodeURIComponent(token)}` : '';
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const open = new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error('Could not connect to the Mockloop backend.'));
  });
  socket.onmessage = (e: MessageEvent<ArrayBuffer>) => {
    const frame = decode(new Uint8Array(e.data)) as ServerFrame;
    if (frame.t === 'result') {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else {
      listeners.forEach((l) => l(frame.event));
    }
  };
  socket.onclose = () => {
    for (const resolve of pending.values()) {
      resolve({
        ok: false,
        error: { code: 'failed', message: 'Lost the connection to the backend.' },
      });
    }
    pending.clear();
    onConnectionLost();
  };

  return {
    async call(method, payload) {
      await open;
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(encode({ id, method, payload }, { ignoreUndefined: true }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
