import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { MEDIA_PREFIX } from '../core/mediaPaths';
import { mediaResponse } from '../storage/mediaFiles';

/**
 * Browser mode's `GET /media/sessions/<id>/audio.wav` (and an attempt's
 * `/media/sessions/<id>/attempts/<n>/audio.wav`): the recording with byte ranges, so the
 * replay's audio element streams it and seeks anywhere without downloading it all. The
 * caller has already checked Host, Origin and the access token.
 */
export function isMediaRequest(pathname: string): boolean {
  return pathname.startsWith(MEDIA_PREFIX);
}

export async function serveMedia(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  sessionsDir: string,
): Promise<void> {
  const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
  let response;
  try {
    response = await mediaResponse(sessionsDir, pathname, req.headers.range, method);
  } catch {
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Could not read the recording');
    return;
  }
  res.writeHead(response.status, response.headers);
  if (!response.body) {
    res.end(response.status === 404 ? 'Not found' : undefined);
    return;
  }
  // A seek aborts the previous request mid-stream; that is normal, not an error.
  await pipeline(response.body(), res).catch(() => undefined);
}
