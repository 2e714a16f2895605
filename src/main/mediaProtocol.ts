import { Readable } from 'node:stream';
import { MEDIA_PREFIX } from '../core/mediaPaths';
import { mediaResponse } from '../storage/mediaFiles';

/**
 * The desktop app's recordings: `mockloop://app/media/sessions/<id>/audio.wav`, served by
 * the app protocol with the same allow-listed paths and byte ranges as browser mode (the
 * scheme is registered with `stream: true` so the audio element can seek with ranges).
 * A plain function of a Request, so it is tested without Electron.
 */
export async function mediaProtocolResponse(
  request: Request,
  sessionsDir: string,
): Promise<Response | null> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(MEDIA_PREFIX)) return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405 });
  }
  const method = request.method === 'HEAD' ? 'HEAD' : 'GET';
  const media = await mediaResponse(
    sessionsDir,
    url.pathname,
    request.headers.get('range'),
    method,
  );
  const body = media.body ? (Readable.toWeb(media.body()) as ReadableStream<Uint8Array>) : null;
  return new Response(body ?? (media.status === 404 ? 'Not found' : null), {
    status: media.status,
    headers: media.headers,
  });
}
