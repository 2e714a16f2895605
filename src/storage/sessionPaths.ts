import { randomBytes } from 'node:crypto';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { sessionIdSchema } from '../core/session';
import { StorageError } from './storageError';

/**
 * Session ids arrive from URLs and IPC, so they are untrusted: every path under
 * `<data>/sessions` goes through here, which checks the id and that the resolved path
 * really is a direct child of the sessions folder.
 */

/** `2026-11-22T18-49-50Z-ab12cd`: sorts by creation time, unique enough, safe in paths. */
export function newSessionId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function isValidSessionId(id: unknown): id is string {
  return sessionIdSchema.safeParse(id).success;
}

/** The folder of session `id`; throws StorageError('invalid-id') for anything suspicious. */
export function sessionDirectory(sessionsDir: string, id: unknown): string {
  if (!isValidSessionId(id)) {
    throw new StorageError(
      'invalid-id',
      `${JSON.stringify(String(id).slice(0, 100))} is not a session id.`,
    );
  }
  const root = resolve(sessionsDir);
  const dir = resolve(root, id);
  const rel = relative(root, dir);
  // The id pattern already excludes `/`, `\`, `.` and NUL; this is the second lock.
  if (rel !== id || isAbsolute(rel) || rel.startsWith('..')) {
    throw new StorageError('invalid-id', `${JSON.stringify(id)} is not a session id.`);
  }
  return dir;
}

/** A file inside a session folder; `name` comes from session.json, so it is checked too. */
export function sessionFile(sessionDir: string, name: string): string {
  const plain = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) && !name.includes('..');
  if (!plain) {
    throw new StorageError(
      'invalid-data',
      `${JSON.stringify(name)} is not a plain file name.`,
      sessionDir,
    );
  }
  return join(sessionDir, name);
}
