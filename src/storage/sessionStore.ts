import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SESSION_SCHEMA_VERSION,
  sessionSchema,
  type SessionListItem,
  type SessionRecord,
  type TurnRecord,
  type NoteRecord,
} from '../core/session';
import { isTempFileOf, readJsonFile, writeFileAtomic } from './atomicFile';
import { isValidSessionId, newSessionId, sessionDirectory, sessionFile } from './sessionPaths';
import { StorageError, toStorageError } from './storageError';
import { repairWav, WavStreamWriter } from './wavStreamWriter';
import { describeIssues, plainIssueMessages } from './zodIssues';

/**
 * Sessions on disk: `<data>/sessions/<id>/session.json` plus the recording. session.json
 * is only ever replaced atomically, and writes to one session run one after another, so
 * a crash or two overlapping requests can never leave a torn or interleaved record.
 */

const SESSION_JSON = 'session.json';
/** Written to `endReason` for rounds found still recording at startup. */
export const APP_STOPPED_REASON = 'app-stopped';

export type SessionInit = Omit<
  SessionRecord,
  'schemaVersion' | 'id' | 'createdAt' | 'status' | 'turns' | 'durationMs' | 'notes'
>;
export type SessionPatch = Partial<Omit<SessionRecord, 'schemaVersion' | 'id' | 'createdAt'>>;

export interface SessionEnd {
  status: 'complete' | 'interrupted';
  endReason?: string;
  durationMs: number;
}

export interface SessionList {
  /** Newest first. */
  sessions: SessionListItem[];
  /** One sentence per session folder that could not be read, naming the session. */
  problems: string[];
}

export class SessionStore {
  readonly sessionsDir: string;
  private readonly now: () => Date;
  /** Tail of each session's write queue. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Sessions this process is recording right now; startup recovery must leave them be. */
  private readonly recording = new Set<string>();
  /** Folders created but whose first session.json is still being written. */
  private readonly creating = new Set<string>();

  private readonly newId: (now: Date) => string;

  /**
   * `sessionsDir` and `newId` let the same store keep a session's answer-again attempts
   * (`<session>/attempts/<n>/`, see attemptStore.ts).
   */
  constructor(
    readonly dataDir: string,
    options: { now?: () => Date; sessionsDir?: string; newId?: (now: Date) => string } = {},
  ) {
    this.sessionsDir = options.sessionsDir ?? join(dataDir, 'sessions');
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? newSessionId;
  }

  async create(init: SessionInit): Promise<SessionRecord> {
    try {
      await mkdir(this.sessionsDir, { recursive: true });
    } catch (err) {
      throw toStorageError(err, this.sessionsDir, { consequence: 'the round was not started.' });
    }
    const createdAt = this.now();
    // Two rounds started in the same second differ in the random suffix; retry on the
    // (unlikely) collision rather than share a folder.
    for (let attempt = 0; ; attempt++) {
      const id = this.newId(createdAt);
      const dir = sessionDirectory(this.sessionsDir, id);
      // Validate before touching the disk, so a bad request leaves no empty folder behind.
      const record = validRecord({
        ...init,
        schemaVersion: SESSION_SCHEMA_VERSION,
        id,
        createdAt: createdAt.toISOString(),
        status: 'recording',
        turns: [],
        notes: [],
        durationMs: 0,
      });
      sessionFile(dir, record.audio.file);
      try {
        await mkdir(dir);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'EEXIST' && attempt < 5) continue;
        throw toStorageError(err, dir, { consequence: 'the round was not started.' });
      }
      this.creating.add(id);
      try {
        await this.serialize(id, () => writeRecord(dir, record));
      } catch (err) {
        // Nothing of this round exists yet; an empty folder would only show up as a problem.
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw err;
      } finally {
        this.creating.delete(id);
      }
      return record;
    }
  }

  /** The recording of a session that is still `recording`; the store stops it being recovered. */
  async openRecording(id: string): Promise<WavStreamWriter> {
    const record = await this.get(id);
    if (record.status !== 'recording') {
      throw new StorageError('invalid-data', `Session ${id} has ended; it cannot record again.`);
    }
    const path = sessionFile(sessionDirectory(this.sessionsDir, id), record.audio.file);
    const writer = await WavStreamWriter.create(path, {
      sampleRate: record.audio.sampleRate,
      channels: record.audio.channels,
    });
    this.recording.add(id);
    return writer;
  }

  /** Where the session's recording lives (it may not exist yet). */
  async audioPath(id: string): Promise<string> {
    const record = await this.get(id);
    return sessionFile(sessionDirectory(this.sessionsDir, id), record.audio.file);
  }

  async appendTurn(id: string, turn: TurnRecord): Promise<void> {
    await this.mutate(id, (r) => ({ ...r, turns: [...r.turns, turn] }));
  }

  async appendNotes(id: string, notes: readonly NoteRecord[]): Promise<void> {
    if (notes.length === 0) return;
    await this.mutate(id, (r) => ({ ...r, notes: [...r.notes, ...notes] }));
  }

  update(id: string, patch: SessionPatch): Promise<SessionRecord> {
    return this.mutate(id, (r) => ({
      ...r,
      ...patch,
      // Identity fields are not patchable, whatever the caller's object holds at runtime.
      schemaVersion: r.schemaVersion,
      id: r.id,
      createdAt: r.createdAt,
    }));
  }

  async finish(id: string, end: SessionEnd): Promise<SessionRecord> {
    const record = await this.mutate(id, (r) => ({
      ...r,
      status: end.status,
      endReason: end.endReason,
      durationMs: end.durationMs,
      endedAt: this.now().toISOString(),
    }));
    this.recording.delete(id);
    return record;
  }

  /** The validated record; StorageError `not-found` / `corrupt` / `invalid-id` otherwise. */
  async get(id: string): Promise<SessionRecord> {
    const dir = sessionDirectory(this.sessionsDir, id);
    const read = await readJsonFile(join(dir, SESSION_JSON), sessionSchema);
    if (!read.ok) {
      if (read.kind === 'missing') {
        throw new StorageError('not-found', `Session ${id} was not found.`, dir);
      }
      throw new StorageError('corrupt', `Session ${id} cannot be opened: ${read.reason}`, dir);
    }
    if (read.value.id !== id) {
      throw new StorageError(
        'corrupt',
        `Session ${id} cannot be opened: its session.json belongs to session ${read.value.id}.`,
        dir,
      );
    }
    return read.value;
  }

  /** Every readable session, newest first; unreadable folders are reported, not fatal. */
  async list(): Promise<SessionList> {
    const ids = await this.sessionFolderIds();
    const results = await Promise.all(
      ids.map(async (id) => {
        try {
          return { ok: true as const, record: await this.get(id) };
        } catch (err) {
          return { ok: false as const, problem: this.listProblem(id, err) };
        }
      }),
    );
    const sessions: SessionListItem[] = [];
    const problems: string[] = [];
    for (const result of results) {
      if (result.ok) sessions.push(listItem(result.record));
      else if (result.problem) problems.push(result.problem);
    }
    sessions.sort(newestFirst);
    return { sessions, problems };
  }

  /** Why a folder is missing from the list; undefined when it is simply not ready yet. */
  private listProblem(id: string, err: unknown): string | undefined {
    if (err instanceof StorageError && err.code === 'not-found') {
      if (this.creating.has(id)) return undefined;
      return `Session ${id} has no session.json (the app may have stopped while creating it).`;
    }
    return err instanceof Error ? err.message : String(err);
  }

  /**
   * Startup: rounds still marked `recording` were cut off when the app died. Their WAV is
   * repaired from its real length, they become `interrupted` with the duration actually
   * recorded, and their ids are returned. Sessions that cannot be recovered now are left as
   * they are (and retried next start); `list()` reports the unreadable ones.
   */
  async recoverInterrupted(): Promise<string[]> {
    const recovered: string[] = [];
    for (const id of await this.sessionFolderIds()) {
      if (this.recording.has(id) || this.creating.has(id)) continue;
      try {
        const changed = await this.serialize(id, () => this.recoverOne(id));
        if (changed) recovered.push(id);
      } catch {
        // Left for the next start; the folder stays visible through list().
      }
    }
    return recovered;
  }

  private async recoverOne(id: string): Promise<boolean> {
    const dir = sessionDirectory(this.sessionsDir, id);
    await settleTempFiles(dir, id);
    const read = await readJsonFile(join(dir, SESSION_JSON), sessionSchema);
    if (!read.ok || read.value.id !== id || read.value.status !== 'recording') return false;
    const record = read.value;
    let durationMs = record.durationMs;
    try {
      const audio = sessionFile(dir, record.audio.file);
      durationMs = (await repairWav(audio, record.audio)).durationMs;
    } catch (err) {
      // No recording was ever opened: the round died before audio started.
      if (!(err instanceof StorageError && err.code === 'not-found')) throw err;
    }
    await writeRecord(dir, {
      ...record,
      status: 'interrupted',
      endReason: APP_STOPPED_REASON,
      durationMs,
    });
    return true;
  }

  private async sessionFolderIds(): Promise<string[]> {
    try {
      const entries = await readdir(this.sessionsDir, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && isValidSessionId(e.name)).map((e) => e.name);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return [];
      throw toStorageError(err, this.sessionsDir, { action: 'read' });
    }
  }

  private async mutate(
    id: string,
    change: (current: SessionRecord) => SessionRecord,
  ): Promise<SessionRecord> {
    const dir = sessionDirectory(this.sessionsDir, id);
    return this.serialize(id, async () => {
      const next = validRecord(change(await this.get(id)));
      await writeRecord(dir, next);
      return next;
    });
  }

  /** Runs `op` after every earlier operation on the same session has settled. */
  private serialize<T>(id: string, op: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const run = previous.then(op);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return run;
  }
}

function validRecord(candidate: unknown): SessionRecord {
  const parsed = sessionSchema.safeParse(candidate, { error: plainIssueMessages });
  if (!parsed.success) {
    throw new StorageError(
      'invalid-data',
      `The session record is invalid: ${describeIssues(parsed.error.issues)}`,
    );
  }
  return parsed.data;
}

async function writeRecord(dir: string, record: SessionRecord): Promise<void> {
  // Pretty-printed: session.json is meant to be readable without the app.
  await writeFileAtomic(join(dir, SESSION_JSON), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Leftovers of writes cut off by a crash. A temp file is only used when session.json is
 * missing altogether (the app died during the very first write) and the temp file is
 * complete and valid; otherwise the renamed session.json is the truth and temps are junk.
 */
async function settleTempFiles(dir: string, id: string): Promise<void> {
  const temps = (await readdir(dir)).filter((name) => isTempFileOf(name, SESSION_JSON));
  if (temps.length === 0) return;
  const target = join(dir, SESSION_JSON);
  const hasRecord = await stat(target).then(
    () => true,
    () => false,
  );
  const byNewest = await Promise.all(
    temps.map(async (name) => ({ name, mtime: (await stat(join(dir, name))).mtimeMs })),
  );
  byNewest.sort((a, b) => b.mtime - a.mtime);
  let promoted = hasRecord;
  for (const { name } of byNewest) {
    const path = join(dir, name);
    if (!promoted) {
      const read = await readJsonFile(path, sessionSchema);
      if (read.ok && read.value.id === id) {
        await rename(path, target);
        promoted = true;
        continue;
      }
    }
    await rm(path, { force: true });
  }
}

function listItem(record: SessionRecord): SessionListItem {
  return {
    id: record.id,
    title: record.round.title,
    loopTitle: record.round.loopTitle,
    createdAt: record.createdAt,
    status: record.status,
    durationMs: record.durationMs,
    turnCount: record.turns.length,
  };
}

function newestFirst(a: SessionListItem, b: SessionListItem): number {
  const time = (item: SessionListItem) => {
    const t = Date.parse(item.createdAt);
    return Number.isNaN(t) ? -Infinity : t;
  };
  return time(b) - time(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
