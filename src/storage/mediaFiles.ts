import { createReadStream, type ReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { contentRange, parseByteRange } from '../core/byteRange';
import { parseMediaPath } from '../core/mediaPaths';
import { ATTEMPTS_DIR } from './attemptStore';
import { sessionDirectory } from './sessionPaths';

/**
 * Recordings served to the replay, for both transports (browser mode's `/media/` route
 * and Electron's protocol). The URL is parsed against a fixed shape with an allow-list
 * of file names (core/mediaPaths.ts), the path is built from the checked parts only, and
 * the real path (symlinks resolved) must still be inside the sessions folder.
 */
export interface MediaResponse {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  /** The bytes to send, or undefined (HEAD, errors, 416). */
  body?: () => ReadStream;
}

const notFound: MediaResponse = {
  status: 404,
  headers: { 'Content-Type': 'text/plain; charset=utf-8' },
};

export async function resolveMediaFile(
  sessionsDir: string,
  pathname: string,
): Promise<string | null> {
  const target = parseMediaPath(pathname);
  if (!target) return null;
  let dir: string;
  try {
    dir = sessionDirectory(sessionsDir, target.sessionId);
  } catch {
    return null;
  }
  if (target.attempt !== undefined) dir = join(dir, ATTEMPTS_DIR, String(target.attempt));
  const path = join(dir, target.file);
  try {
    const [root, real] = await Promise.all([realpath(resolve(sessionsDir)), realpath(path)]);
    const rel = relative(root, real);
    if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') return null;
    const info = await stat(real);
    return info.isFile() ? real : null;
  } catch {
    return null;
  }
}

/** The response to a GET or HEAD of a media URL path, honouring a single byte range. */
export async function mediaResponse(
  sessionsDir: string,
  pathname: string,
  rangeHeader: string | null | undefined,
  method: 'GET' | 'HEAD' = 'GET',
): Promise<MediaResponse> {
  const path = await resolveMediaFile(sessionsDir, pathname);
  if (!path) return notFound;
  const { size } = await stat(path);
  const decision = parseByteRange(rangeHeader, size);
  const common = {
    'Accept-Ranges': 'bytes',
    'Content-Type': 'audio/wav',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (decision.kind === 'unsatisfiable') {
    return {
      status: 416,
      headers: { ...common, 'Content-Range': contentRange(decision, size)!, 'Content-Length': '0' },
    };
  }
  const [start, end] = decision.kind === 'partial' ? [decision.start, decision.end] : [0, size - 1];
  const length = size === 0 ? 0 : end - start + 1;
  const headers: Record<string, string> = { ...common, 'Content-Length': String(length) };
  if (decision.kind === 'partial') headers['Content-Range'] = contentRange(decision, size)!;
  return {
    status: decision.kind === 'partial' ? 206 : 200,
    headers,
    ...(method === 'GET' && length > 0
      ? { body: () => createReadStream(path, { start, end }) }
      : {}),
  };
}
