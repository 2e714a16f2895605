import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent } from '../api/contract';
import { dispatch, type ApiHandlers, type CallContext } from '../api/dispatcher';
import { contentSecurityPolicyFor } from '../core/contentSecurityPolicy';
import { TOKEN_COOKIE } from './accessToken';
import type { SessionExporter } from '../backend/exportBackend';
import { isExportRequest, isImportRequest, serveExport, serveImport } from './exportRoute';
import { isMediaRequest, serveMedia } from './mediaRoute';
import { checkRequest } from './requestGuard';
import { readStatic } from './staticFiles';
import { decodeClientFrame, encodeFrame } from './wireCodec';

export interface WebServerOptions {
  handlers: ApiHandlers;
  /** Built renderer (vite build output). */
  staticDir: string;
  token: string;
  port: number;
  onClientGone(clientId: string): void;
  /** `<data>/sessions`: recordings are served from here under `/media/` (see mediaRoute.ts). */
  sessionsDir?: string;
  /** Export downloads and bundle uploads (see exportRoute.ts). */
  exporter?: SessionExporter;
}

export interface RunningWebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 512 * 1024;

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

/**
 * Browser mode: the same UI and API as the desktop app, on 127.0.0.1 only. Static files
 * over HTTP, the API over one WebSocket per page.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  let port = options.port;
  let nextClient = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const server = createServer((req, res) => void serveHttp(req, res));

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A bundle upload must carry our Origin: browsers always send it on a POST, so another
    // site's page cannot post to this server even if it guessed the token.
    const upload = req.method === 'POST' && isImportRequest(pathOf(req.url));
    const guard = checkRequest(req, { port, token: options.token, requireOrigin: upload });
    if (!guard.ok) {
      res.writeHead(guard.status, { 'Content-Type': 'text/plain' }).end(guard.reason);
      if (upload) req.resume();
      return;
    }
    if (upload && options.exporter) {
      await serveImport(req, res, options.exporter);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (isMediaRequest(guard.url.pathname)) {
      if (options.sessionsDir) await serveMedia(req, res, guard.url.pathname, options.sessionsDir);
      else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    if (options.exporter && isExportRequest(guard.url.pathname)) {
      await serveExport(req, res, guard.url.pathname, options.exporter);
      return;
    }
    const file = await readStatic(options.staticDir, guard.url.pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Security-Policy': contentSecurityPolicyFor(guard.url.pathname, [
        `ws://127.0.0.1:${port}`,
        `ws://localhost:${port}`,
      ]),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      // The page's own requests (scripts, the WebSocket) then carry the token.
      'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req, socket, head) => {
    const guard = checkRequest(req, { port, token: options.token, requireOrigin: true });
    if (!guard.ok || guard.url.pathname !== '/api') {
      const status = guard.ok ? 404 : guard.status;
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, `web-${++nextClient}`));
  });

  function serveSocket(ws: WebSocket, clientId: string): void {
    const context: CallContext = {
      clientId,
      emit: (event: ApiEvent) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ t: 'event', event }));
      },
    };
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return ws.close(1003, 'binary frames only');
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const frame = decodeClientFrame(bytes);
      if (!frame) return ws.close(1007, 'malformed frame');
      void dispatch(options.handlers, frame.method, frame.payload, context).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ t: 'result', id: frame.id, result }));
      });
    });
    ws.on('close', () => options.onClientGone(clientId));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(options.token)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
