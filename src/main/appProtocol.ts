import type { Protocol } from 'electron';
import { contentSecurityPolicyFor } from '../core/contentSecurityPolicy';
import { readStatic } from '../server/staticFiles';

/**
 * Serves the built renderer from `mockloop://app/`, never file://, with files resolved
 * only inside the renderer's folder and the same CSP as browser mode; session recordings
 * are served under `/media/` by the `media` handler.
 */
export function serveAppProtocol(
  protocol: Protocol,
  scheme: string,
  rendererDir: string,
  /** Recordings under `/media/` (see mediaProtocol.ts); null for other paths. */
  media?: (request: Request) => Promise<Response | null>,
  /** Extra connect-src origins, read per page load (the API origin for a WebRTC call). */
  connectSources?: () => Promise<string[]>,
): void {
  protocol.handle(scheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const recording = media ? await media(request) : null;
    if (recording) return recording;
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: {
        'Content-Type': file.type,
        'Content-Security-Policy': contentSecurityPolicyFor(
          url.pathname,
          connectSources ? await connectSources().catch(() => []) : [],
        ),
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
