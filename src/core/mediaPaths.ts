/**
 * URL paths of a session's recordings, as served by browser mode (`/media/…` over HTTP)
 * and Electron (`mockloop://app/media/…`). Only these shapes exist, and only the file
 * names listed here; everything else is refused before any path is built.
 */
export const MEDIA_PREFIX = '/media/sessions/';
export const MEDIA_FILES = ['audio.wav'] as const;
export type MediaFile = (typeof MEDIA_FILES)[number];

export interface MediaTarget {
  sessionId: string;
  /** Answer-again attempt number, when the file is an attempt's. */
  attempt?: number;
  file: MediaFile;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;
const ATTEMPT = /^[1-9]\d{0,3}$/;

export function mediaPath(sessionId: string, attempt?: number, file: MediaFile = 'audio.wav') {
  const tail = attempt === undefined ? file : `attempts/${attempt}/${file}`;
  return `${MEDIA_PREFIX}${encodeURIComponent(sessionId)}/${tail}`;
}

/** The target of a media URL path, or null for anything that is not exactly one. */
export function parseMediaPath(pathname: string): MediaTarget | null {
  if (!pathname.startsWith(MEDIA_PREFIX)) return null;
  // No decoding: ids and names are plain ASCII, so an escaped character is never legitimate.
  const parts = pathname.slice(MEDIA_PREFIX.length).split('/');
  const isFile = (name: string | undefined): name is MediaFile =>
    (MEDIA_FILES as readonly string[]).includes(name ?? '');
  if (parts.length === 2) {
    const [sessionId = '', file] = parts;
    if (!ID.test(sessionId) || !isFile(file)) return null;
    return { sessionId, file };
  }
  if (parts.length === 4) {
    const [sessionId = '', folder, attempt = '', file] = parts;
    if (!ID.test(sessionId) || folder !== 'attempts' || !ATTEMPT.test(attempt) || !isFile(file)) {
      return null;
    }
    return { sessionId, attempt: Number(attempt), file };
  }
  return null;
}
