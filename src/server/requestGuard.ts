import type { IncomingMessage } from 'node:http';
import { tokenFromRequest, tokenMatches } from './accessToken';

/**
 * Browser mode serves personal data on a local port, so every request must prove it
 * comes from our page: the Host must be ours (defeats DNS rebinding), a present Origin
 * must be ours (defeats other sites' pages), and the access token must match.
 */
export type GuardResult = { ok: true; url: URL } | { ok: false; status: number; reason: string };

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function checkRequest(
  req: IncomingMessage,
  options: { port: number; token: string; requireOrigin: boolean },
): GuardResult {
  const host = req.headers.host ?? '';
  if (!allowedHosts(options.port).has(host)) {
    return { ok: false, status: 421, reason: 'Host not allowed' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined || options.requireOrigin) {
    const allowed = [...allowedHosts(options.port)].map((h) => `http://${h}`);
    if (!origin || !allowed.includes(origin)) {
      return { ok: false, status: 403, reason: 'Origin not allowed' };
    }
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${host}`);
  } catch {
    return { ok: false, status: 400, reason: 'Bad URL' };
  }
  if (!tokenMatches(options.token, tokenFromRequest(url, req.headers.cookie))) {
    return { ok: false, status: 401, reason: 'Missing or wrong access token' };
  }
  return { ok: true, url };
}
