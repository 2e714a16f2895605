import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { toStorageError } from './storageError';
import { describeIssues, plainIssueMessages } from './zodIssues';

/**
 * Temp files live next to their target (a rename is only atomic within one filesystem)
 * and are dot-prefixed so folder listings and people browsing the data folder skip them.
 */
export function tempFileNameFor(target: string): string {
  return `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`;
}

/** True for leftovers of an interrupted `writeFileAtomic(target)`. */
export function isTempFileOf(fileName: string, targetName: string): boolean {
  return fileName.startsWith(`.${targetName}.`) && fileName.endsWith('.tmp');
}

/**
 * Replaces `path` so that a crash at any moment leaves either the old or the new content,
 * never a torn file: write a temp file, fsync it, rename over the target, fsync the folder
 * so the rename itself survives a power loss. Failures surface as StorageError.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, tempFileNameFor(path));
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw toStorageError(err, path, { consequence: 'the previous version is unchanged.' });
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open or fsync a directory; the rename is still atomic there, only
    // its durability across power loss is weaker. Nothing the user could do about it.
  }
}

export type JsonReadFailure = 'missing' | 'unreadable' | 'not-json' | 'schema-mismatch';

export type JsonReadResult<T> =
  { ok: true; value: T } | { ok: false; kind: JsonReadFailure; reason: string };

/** Reads and validates a JSON file without throwing: callers decide how to report failure. */
export async function readJsonFile<T>(
  path: string,
  schema: z.ZodType<T>,
): Promise<JsonReadResult<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as { code?: unknown }).code === 'ENOENT';
    return missing
      ? { ok: false, kind: 'missing', reason: `${basename(path)} does not exist` }
      : {
          ok: false,
          kind: 'unreadable',
          reason: toStorageError(err, path, { action: 'read' }).message,
        };
  }
  if (text.trim() === '') {
    return { ok: false, kind: 'not-json', reason: `${basename(path)} is empty` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      kind: 'not-json',
      reason: `${basename(path)} is not valid JSON (${detail})`,
    };
  }
  const parsed = schema.safeParse(json, { error: plainIssueMessages });
  if (!parsed.success) {
    return {
      ok: false,
      kind: 'schema-mismatch',
      reason: `${basename(path)} does not match the expected format: ${describeIssues(parsed.error.issues)}`,
    };
  }
  return { ok: true, value: parsed.data };
}
