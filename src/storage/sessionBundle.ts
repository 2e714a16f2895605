// Over ~400 lines on purpose: export and import of one bundle format must be read
// together — what the writer puts in the tar (manifest, hashes, order) is exactly what the
// reader checks, stages and then moves into place without a half-imported session.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, mkdtemp, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Header, Pack, Parser, ReadEntry } from 'tar';
import type { z } from 'zod';
import { annotationsFileSchema } from '../core/annotations';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  bundlePathProblem,
  describeBytes,
  manifestSchema,
  MANIFEST_NAME,
  MAX_ENTRIES,
  MAX_TOTAL_BYTES,
  maxEntryBytes,
  type BundleManifest,
} from '../core/bundleFormat';
import { scorecardSchema } from '../core/scorecard';
import { sessionSchema, type SessionRecord } from '../core/session';
import { parseWavHeader } from '../core/wav';
import { readJsonFile, tempFileNameFor } from './atomicFile';
import { sessionDirectory } from './sessionPaths';
import { StorageError, toStorageError } from './storageError';
import { describeIssues } from './zodIssues';

/**
 * Session bundles (format rules in core/bundleFormat.ts): a plain tar — any tar tool opens
 * it — of the session folder, with `mockloop-bundle.json` (every file's size and SHA-256)
 * as its last entry. Entries are sorted and stamped with the session's start time, so the
 * same folder always gives the same bytes, and a bundle imported and exported again is
 * identical.
 *
 * Import treats the file as hostile until proven otherwise: entries are checked one by one
 * before a byte is written, everything is written into a fresh staging folder inside
 * `<data>/sessions/`, checked against the manifest and the session schemas, and only then
 * renamed into `<data>/sessions/<id>` — so a failed import leaves nothing behind and an
 * existing session is never touched.
 */

export type BundleErrorCode = 'invalid' | 'unsafe' | 'too-large' | 'exists' | 'busy' | 'changed';

export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

const STAGING_PREFIX = '.import-';
/** Staging folders older than this are leftovers of a crashed import. */
const STALE_STAGING_MS = 24 * 3600 * 1000;

export interface BundleFile {
  path: string;
  size: number;
}

function pad512(n: number): number {
  return Math.ceil(n / 512) * 512;
}

/** What a session's bundle will hold, and its exact size in bytes (for Content-Length). */
export async function planSessionBundle(
  sessionsDir: string,
  sessionId: string,
): Promise<{ record: SessionRecord; files: BundleFile[]; bytes: number }> {
  const dir = sessionDirectory(sessionsDir, sessionId);
  const read = await readJsonFile(join(dir, 'session.json'), sessionSchema);
  if (!read.ok) {
    if (read.kind === 'missing') {
      throw new StorageError('not-found', `There is no session "${sessionId}".`, dir);
    }
    throw new BundleError('invalid', `The session cannot be bundled: ${read.reason}.`);
  }
  if (read.value.status === 'recording') {
    throw new BundleError(
      'busy',
      'This round is still being recorded; export it once it has ended.',
    );
  }
  const files: BundleFile[] = [];
  await collectFiles(dir, '', files);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of files) {
    if (!/^attempts\/[^/]+\/session\.json$/.test(f.path)) continue;
    const attempt = await readJsonFile(join(dir, f.path), sessionSchema);
    if (attempt.ok && attempt.value.status === 'recording') {
      throw new BundleError(
        'busy',
        'An answer-again attempt of this session is still being recorded; export once it has ended.',
      );
    }
  }
  const manifestBytes = Buffer.byteLength(manifestJson(sessionId, files.map(placeholderHash)));
  // ustar: a 512-byte header per entry, data padded to 512, two zero blocks at the end.
  const bytes =
    files.reduce((sum, f) => sum + 512 + pad512(f.size), 0) + 512 + pad512(manifestBytes) + 1024;
  return { record: read.value, files, bytes };
}

function placeholderHash(f: BundleFile) {
  return { ...f, sha256: '0'.repeat(64) };
}

function manifestJson(sessionId: string, files: BundleManifest['files']): string {
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    sessionId,
    files,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function collectFiles(root: string, prefix: string, out: BundleFile[]): Promise<void> {
  const dir = prefix ? join(root, prefix) : root;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw toStorageError(err, dir, { action: 'read' });
  }
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    // Temp files of atomic writes, hidden files and anything a bundle could not carry
    // (links, sockets) stay behind; they are never part of a session.
    if (bundlePathProblem(path) !== null || path === MANIFEST_NAME) continue;
    if (entry.isDirectory()) await collectFiles(root, path, out);
    else if (entry.isFile()) {
      const size = (await stat(join(root, path))).size;
      out.push({ path, size });
    }
  }
}

/**
 * Writes session `sessionId` as a bundle to `out`. Each file is read through one open
 * handle, so a note saved meanwhile (an atomic rename) cannot tear the bundle; a file that
 * changes length while it is read fails the export instead of writing a bundle that lies.
 */
export async function writeSessionBundle(
  sessionsDir: string,
  sessionId: string,
  out: NodeJS.WritableStream,
  plan?: Awaited<ReturnType<typeof planSessionBundle>>,
): Promise<{ bytes: number; files: number }> {
  const { record, files } = plan ?? (await planSessionBundle(sessionsDir, sessionId));
  const dir = sessionDirectory(sessionsDir, sessionId);
  const started = Date.parse(record.createdAt);
  const mtime = new Date(Number.isFinite(started) && started > 0 ? started : 0);
  const pack = new Pack({ portable: true });
  let written = 0;
  pack.on('data', (chunk: Buffer) => (written += chunk.length));
  const piping = pipeline(pack, out);
  // If the destination fails (disk full, the download was cancelled), stop reading files.
  let failure: unknown = null;
  const failed = piping.then(
    () => new Promise<never>(() => undefined),
    (err: unknown) => {
      failure = err;
      throw err;
    },
  );
  failed.catch(() => undefined);

  const addEntry = async (
    path: string,
    size: number,
    body: AsyncIterable<Buffer> | Iterable<Buffer>,
    hash: Hash,
  ) => {
    // A ReadEntry is how a tar Pack takes an entry that does not come from the filesystem.
    const entry = new ReadEntry(new Header({ path, mode: 0o644, size, mtime, type: 'File' }));
    pack.add(entry);
    let n = 0;
    for await (const chunk of body) {
      if (failure) throw failure;
      n += chunk.length;
      if (n > size) break;
      hash.update(chunk);
      if (!entry.write(chunk)) await Promise.race([once(entry, 'drain'), failed]);
    }
    if (n !== size) {
      throw new BundleError(
        'changed',
        `${path} changed while it was being exported; try again once nothing is writing to the session.`,
      );
    }
    entry.end();
  };

  const listed: BundleManifest['files'] = [];
  try {
    for (const file of files) {
      const handle = await open(join(dir, file.path), 'r').catch((err: unknown) => {
        throw toStorageError(err, join(dir, file.path), { action: 'read' });
      });
      try {
        const size = (await handle.stat()).size;
        if (size !== file.size) {
          throw new BundleError(
            'changed',
            `${file.path} changed while it was being exported; try again.`,
          );
        }
        const hash = createHash('sha256');
        await addEntry(file.path, size, handle.createReadStream({ autoClose: false }), hash);
        listed.push({ path: file.path, size, sha256: hash.digest('hex') });
      } finally {
        await handle.close();
      }
    }
    const manifest = Buffer.from(manifestJson(sessionId, listed));
    await addEntry(MANIFEST_NAME, manifest.length, [manifest], createHash('sha256'));
    pack.end();
    await piping;
  } catch (err) {
    pack.destroy?.();
    await piping.catch(() => undefined);
    throw failure ?? err;
  }
  return { bytes: written, files: listed.length };
}

export interface ImportResult {
  sessionId: string;
  record: SessionRecord;
  files: number;
  bytes: number;
}

interface Staged {
  size: number;
  sha256: string;
}

/**
 * Imports a bundle read from `source` into `<sessionsDir>/<its session id>`. Refuses (with
 * a BundleError saying why and what to do) anything unsafe or inconsistent, and a session
 * that already exists; never writes outside a staging folder and that one target folder.
 */
export async function importSessionBundle(
  sessionsDir: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { onProgress?: (bytesRead: number) => void } = {},
): Promise<ImportResult> {
  try {
    await mkdir(sessionsDir, { recursive: true });
  } catch (err) {
    throw toStorageError(err, sessionsDir, { consequence: 'nothing was imported.' });
  }
  await removeStaleStaging(sessionsDir);
  let staging: string;
  try {
    staging = await mkdtemp(join(sessionsDir, STAGING_PREFIX));
  } catch (err) {
    throw toStorageError(err, sessionsDir, { consequence: 'nothing was imported.' });
  }
  let target: string | null = null;
  try {
    const { staged, manifest } = await extractToStaging(staging, source, options.onProgress);
    const { sessionId } = checkManifest(manifest, staged);
    const record = await validateStaged(staging, sessionId, staged);
    target = sessionDirectory(sessionsDir, sessionId);
    // mkdir is exclusive: it fails when the session exists, even one created a moment
    // ago by another import; rename then replaces only the empty folder made here.
    try {
      await mkdir(target);
    } catch (err) {
      const exists = (err as { code?: unknown }).code === 'EEXIST';
      target = null;
      if (exists) {
        throw new BundleError(
          'exists',
          `A session with id ${sessionId} is already in this data folder; it was not overwritten and nothing was imported. Delete or move that session's folder first if you mean to replace it.`,
        );
      }
      throw toStorageError(err, sessionsDir, { consequence: 'nothing was imported.' });
    }
    try {
      await rename(staging, target);
    } catch (err) {
      throw toStorageError(err, target, { consequence: 'nothing was imported.' });
    }
    const bytes = [...staged.values()].reduce((sum, f) => sum + f.size, 0);
    return { sessionId, record, files: staged.size, bytes };
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (target) await rmdir(target).catch(() => undefined);
    throw err;
  }
}

async function removeStaleStaging(sessionsDir: string): Promise<void> {
  const names = await readdir(sessionsDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const path = join(sessionsDir, name);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_STAGING_MS) {
      await rm(path, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

async function extractToStaging(
  staging: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onProgress?: (bytesRead: number) => void,
): Promise<{ staged: Map<string, Staged>; manifest: Buffer }> {
  const staged = new Map<string, Staged>();
  const seen = new Set<string>();
  let manifest: Buffer | null = null;
  let total = 0;
  let failure: unknown = null;
  const parser = new Parser({ strict: true });
  const fail = (err: unknown) => {
    if (failure) return;
    failure = err;
    parser.abort(err instanceof Error ? err : new Error(String(err)));
  };
  parser.on('error', (err: unknown) =>
    fail(
      err instanceof BundleError
        ? err
        : new BundleError(
            'invalid',
            `This is not a readable session bundle (${err instanceof Error ? err.message : String(err)}). Export it again from Mockloop.`,
          ),
    ),
  );

  let chain: Promise<void> = Promise.resolve();
  parser.on('entry', (entry: ReadEntry) => {
    chain = chain.then(async () => {
      if (failure) {
        entry.resume();
        return;
      }
      try {
        manifest = (await takeEntry(entry)) ?? manifest;
      } catch (err) {
        entry.resume();
        fail(err);
      }
    });
  });

  async function takeEntry(entry: ReadEntry): Promise<Buffer | null> {
    const isDir = entry.type === 'Directory';
    const path = isDir ? entry.path.replace(/\/+$/, '') : entry.path;
    const problem = bundlePathProblem(path);
    if (problem) {
      throw new BundleError(
        'unsafe',
        `The bundle was refused: entry ${JSON.stringify(path.slice(0, 200))} — ${problem}. Nothing was imported.`,
      );
    }
    if (isDir) {
      entry.resume();
      return null;
    }
    if (!FILE_TYPES.has(entry.type)) {
      throw new BundleError(
        'unsafe',
        `The bundle was refused: ${JSON.stringify(path)} is a ${entry.type}, and a bundle holds only plain files. Nothing was imported.`,
      );
    }
    if (seen.has(path)) {
      throw new BundleError('unsafe', `The bundle holds ${path} twice; it was refused.`);
    }
    seen.add(path);
    if (seen.size > MAX_ENTRIES) {
      throw new BundleError('too-large', `The bundle holds more than ${MAX_ENTRIES} files.`);
    }
    const size = entry.size ?? 0;
    if (size > maxEntryBytes(path)) {
      throw new BundleError(
        'too-large',
        `The bundle was refused: ${path} claims ${describeBytes(size)}, more than the ${describeBytes(maxEntryBytes(path))} such a file may hold. Nothing was imported.`,
      );
    }
    total += size;
    if (total > MAX_TOTAL_BYTES) {
      throw new BundleError(
        'too-large',
        `The bundle holds more than ${describeBytes(MAX_TOTAL_BYTES)}; it was refused.`,
      );
    }
    if (path === MANIFEST_NAME) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks);
    }
    const file = join(staging, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    // 'wx': never follows or replaces anything already there.
    const handle = await open(file, 'wx');
    const hash = createHash('sha256');
    let n = 0;
    try {
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        n += chunk.length;
        hash.update(chunk);
        await handle.write(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    staged.set(path, { size: n, sha256: hash.digest('hex') });
    return null;
  }

  const ended = new Promise<void>((resolve) => parser.on('end', () => resolve()));
  let read = 0;
  try {
    for await (const chunk of source) {
      read += chunk.length;
      // Once refused, the rest is read and dropped rather than cut off: cutting an HTTP
      // upload short would reset the connection before the browser hears why.
      if (failure) {
        if (read > MAX_TOTAL_BYTES) break;
        continue;
      }
      onProgress?.(read);
      if (!parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
        await Promise.race([once(parser, 'drain'), ended]);
      }
    }
  } catch (err) {
    fail(toStorageError(err, staging, { action: 'read', consequence: 'nothing was imported.' }));
  }
  if (!failure) {
    parser.end();
    await ended;
  }
  await chain;
  if (failure) throw failure;
  if (!manifest) {
    throw new BundleError(
      'invalid',
      `This is not a complete Mockloop session bundle (it has no ${MANIFEST_NAME}). Export the session again.`,
    );
  }
  return { staged, manifest };
}

function checkManifest(raw: Buffer, staged: Map<string, Staged>): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BundleError('invalid', `${MANIFEST_NAME} in the bundle is not valid JSON.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new BundleError(
      'invalid',
      `${MANIFEST_NAME} does not describe a Mockloop session bundle: ${describeIssues(parsed.error.issues)}.`,
    );
  }
  const listed = new Map(parsed.data.files.map((f) => [f.path, f]));
  for (const [path, file] of staged) {
    const entry = listed.get(path);
    if (!entry)
      throw new BundleError('invalid', `${path} is in the bundle but not in its manifest.`);
    if (entry.size !== file.size || entry.sha256 !== file.sha256) {
      throw new BundleError(
        'invalid',
        `${path} does not match the bundle's manifest: the file was damaged or changed after export.`,
      );
    }
  }
  for (const path of listed.keys()) {
    if (!staged.has(path)) {
      throw new BundleError('invalid', `The bundle's manifest lists ${path}, which is missing.`);
    }
  }
  return parsed.data;
}

async function validJson<T>(staging: string, path: string, schema: z.ZodType<T>): Promise<T> {
  const read = await readJsonFile(join(staging, ...path.split('/')), schema);
  if (!read.ok)
    throw new BundleError('invalid', `The bundle's ${path} is not valid: ${read.reason}.`);
  return read.value;
}

async function checkWav(staging: string, path: string): Promise<void> {
  const handle = await open(join(staging, ...path.split('/')), 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const info = parseWavHeader(head.subarray(0, bytesRead));
    if (info.channels !== 2 || info.bitsPerSample !== 16) {
      throw new Error(
        `it is ${info.channels}-channel ${info.bitsPerSample}-bit, not 16-bit stereo`,
      );
    }
  } catch (err) {
    throw new BundleError(
      'invalid',
      `The bundle's ${path} is not a Mockloop recording: ${err instanceof Error ? err.message : String(err)}.`,
    );
  } finally {
    await handle.close();
  }
}

/** Known files must be what their schemas say; unknown files travel as they are. */
async function validateStaged(
  staging: string,
  sessionId: string,
  staged: Map<string, Staged>,
): Promise<SessionRecord> {
  if (!staged.has('session.json')) {
    throw new BundleError('invalid', 'The bundle has no session.json; it is not a session.');
  }
  const record = await validJson(staging, 'session.json', sessionSchema);
  if (record.id !== sessionId || record.attemptOf) {
    throw new BundleError(
      'invalid',
      `The bundle's session.json is for "${record.id}", not the session its manifest names.`,
    );
  }
  if (record.status === 'recording') {
    throw new BundleError(
      'invalid',
      'The bundled session was still recording when it was exported.',
    );
  }
  if (!staged.has(record.audio.file)) {
    throw new BundleError('invalid', `The bundle lacks the recording ${record.audio.file}.`);
  }
  for (const path of staged.keys()) {
    if (path.endsWith('.wav')) await checkWav(staging, path);
    if (path === 'annotations.json') await validJson(staging, path, annotationsFileSchema);
    const card = /^scorecards\/(\d{1,6})\.json$/.exec(path);
    if (card) {
      const value = await validJson(staging, path, scorecardSchema);
      if (value.sessionId !== sessionId || value.version !== Number(card[1])) {
        throw new BundleError(
          'invalid',
          `The bundle's ${path} belongs to another session or version.`,
        );
      }
    }
    if (/^attempts\/[^/]+\/session\.json$/.test(path)) {
      const attempt = await validJson(staging, path, sessionSchema);
      if (attempt.attemptOf?.sessionId !== sessionId) {
        throw new BundleError('invalid', `The bundle's ${path} is not an attempt of this session.`);
      }
    }
  }
  return record;
}

/** Writes a bundle to a file: a temp file beside it, renamed into place when complete. */
export async function writeSessionBundleFile(
  sessionsDir: string,
  sessionId: string,
  path: string,
): Promise<{ bytes: number; files: number }> {
  const plan = await planSessionBundle(sessionsDir, sessionId);
  const temp = join(dirname(path), tempFileNameFor(path));
  try {
    const result = await writeSessionBundle(
      sessionsDir,
      sessionId,
      createWriteStream(temp, { flags: 'wx' }),
      plan,
    );
    // The stream is closed by now; fsync before the rename so a crash cannot leave a
    // complete-looking name over incomplete bytes.
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    return result;
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err instanceof BundleError ? err : toStorageError(err, path);
  }
}
