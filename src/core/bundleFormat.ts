import { z } from 'zod';
import { sessionIdSchema } from './session';

/**
 * A session bundle: one tar file holding a session folder, so a session can move to
 * another machine (storage/sessionBundle.ts writes and imports it). The rules here are the
 * importer's first line of defence, so they are strict and pure:
 * - every entry is a plain file (no links, devices or absolute paths);
 * - its path is 1–4 segments of letters, digits, `.`, `_`, `-`, none starting with a dot
 *   (so `..`, hidden and temp files are out) — it can only name something inside the
 *   session's own folder;
 * - sizes are bounded per entry and in total, and must match the manifest, which lists
 *   every file with its SHA-256 and is the last entry of the archive.
 */
export const BUNDLE_FORMAT = 'mockloop-session-bundle';
export const BUNDLE_VERSION = 1;
export const MANIFEST_NAME = 'mockloop-bundle.json';

/** A WAV's sizes are 32-bit: nothing larger can be a valid recording. */
export const MAX_AUDIO_BYTES = 0xffff_ffff;
/** JSON and other files: an hour's peaks are ~4 MB; this leaves room without allowing abuse. */
export const MAX_OTHER_BYTES = 64 * 1024 * 1024;
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_ENTRIES = 2000;
export const MAX_TOTAL_BYTES = 16 * 1024 ** 3;
const MAX_DEPTH = 4;

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const manifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    sessionId: sessionIdSchema,
    files: z
      .array(
        z
          .object({
            path: z.string(),
            size: z.number().int().nonnegative(),
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
          })
          .strict(),
      )
      .max(MAX_ENTRIES),
  })
  .strict();
export type BundleManifest = z.infer<typeof manifestSchema>;

/** Why `path` may not be in a bundle, or null when it may. */
export function bundlePathProblem(path: string): string | null {
  if (path.length === 0 || path.length > 240) return 'its name is empty or too long';
  if (path.includes('\0')) return 'its name holds a NUL byte';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('\\')) {
    return 'it is an absolute path';
  }
  if (path.includes('\\')) return 'its name holds a backslash';
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return 'it points outside the session folder (..)';
  if (segments.length > MAX_DEPTH) return 'it is nested too deep';
  if (!segments.every((s) => SEGMENT.test(s) && !s.includes('..'))) {
    return 'its name is not a plain file name (letters, digits, . _ -; no leading dot)';
  }
  return null;
}

/** The most an entry at `path` may hold. */
export function maxEntryBytes(path: string): number {
  if (path === MANIFEST_NAME) return MAX_MANIFEST_BYTES;
  return path.toLowerCase().endsWith('.wav') ? MAX_AUDIO_BYTES : MAX_OTHER_BYTES;
}

export function describeBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}
