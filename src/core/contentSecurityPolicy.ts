/**
 * The renderer's Content-Security-Policy, shared by Electron and browser mode.
 * 'wasm-unsafe-eval' lets the VAD's ONNX runtime compile its WebAssembly; nothing else
 * may run code that did not ship with the app.
 */
export function contentSecurityPolicy(connectSrc: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * What the renderer must reach for a WebRTC Realtime call: the API server's origin (the
 * SDP offer is posted there with an ephemeral secret). Only when realtime is chosen; the
 * cascade never talks to a model server from the renderer.
 */
export function realtimeConnectSources(
  realtime: { mode: 'cascade' | 'realtime' },
  apiBaseUrl: string,
): string[] {
  if (realtime.mode !== 'realtime') return [];
  try {
    const url = new URL(apiBaseUrl || 'https://api.openai.com/v1');
    return url.protocol === 'https:' || url.protocol === 'http:' ? [url.origin] : [];
  } catch {
    return [];
  }
}

/** Where the code pad's sandbox page is served (renderer/public/sandbox/). */
export const SANDBOX_PATH_PREFIX = '/sandbox/';

/**
 * The code pad's sandbox page, framed with `sandbox="allow-scripts"` (an opaque origin):
 * it runs the candidate's code in a blob: worker, which inherits this policy. Nothing may
 * be fetched or connected to (default-src 'none' covers connect-src, so fetch, WebSocket
 * and EventSource fail), no script URL may load (so importScripts and import() fail), and
 * without 'unsafe-eval' the code cannot eval. 'unsafe-inline' admits only the page's own
 * static bootstrap script: the candidate's code never reaches the document.
 * 'wasm-unsafe-eval' lets Python run (Pyodide is WebAssembly, handed over by the app).
 */
export function sandboxContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'unsafe-inline' 'wasm-unsafe-eval'",
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** The policy for a page of ours by its path: the sandbox page gets its own. */
export function contentSecurityPolicyFor(pathname: string, connectSrc: string[] = []): string {
  return pathname.startsWith(SANDBOX_PATH_PREFIX)
    ? sandboxContentSecurityPolicy()
    : contentSecurityPolicy(connectSrc);
}

/** The path of a page's URL for `contentSecurityPolicyFor`; '/' when it does not parse. */
export function pagePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}
