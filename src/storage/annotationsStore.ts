import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ANNOTATIONS_VERSION,
  annotationsFileSchema,
  annotationSchema,
  sortAnnotations,
  type Annotation,
  type AnnotationInput,
  type AnnotationPatch,
} from '../core/annotations';
import { readJsonFile, writeFileAtomic } from './atomicFile';
import { sessionDirectory } from './sessionPaths';
import { StorageError, toStorageError } from './storageError';
import { describeIssues, plainIssueMessages } from './zodIssues';

/**
 * `<session>/annotations.json`. Every change is a read-modify-write of the whole file,
 * run one at a time per session and written atomically, so two windows adding notes at
 * once both keep theirs. Edits name the revision they were made on; an edit of a note
 * that changed since is refused rather than overwriting the newer text.
 *
 * A file that cannot be read is never overwritten silently: reads report it and return no
 * notes; the next change moves it aside (`annotations.json.corrupt-<time>`) first.
 */
export const ANNOTATIONS_JSON = 'annotations.json';

export interface AnnotationList {
  annotations: Annotation[];
  /** Why annotations.json could not be read, when it could not. */
  problem: string | null;
}

export class AnnotationConflictError extends StorageError {
  constructor(message: string) {
    super('invalid-data', message);
    this.name = 'AnnotationConflictError';
  }
}

export class AnnotationsStore {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly sessionsDir: string,
    private readonly options: { now?: () => Date } = {},
  ) {}

  async list(sessionId: string): Promise<AnnotationList> {
    const read = await this.read(sessionId);
    return read.ok
      ? { annotations: sortAnnotations(read.annotations), problem: null }
      : { annotations: [], problem: read.problem };
  }

  add(sessionId: string, input: AnnotationInput): Promise<Annotation> {
    return this.change(sessionId, (list) => {
      const now = this.now();
      const annotation = valid({
        id: `n${randomBytes(6).toString('hex')}`,
        startMs: Math.round(input.startMs),
        endMs: Math.round(input.endMs),
        tag: input.tag,
        note: input.note,
        ...(input.quote ? { quote: input.quote } : {}),
        ...(input.turnId ? { turnId: input.turnId } : {}),
        createdAt: now,
        updatedAt: now,
        revision: 1,
      });
      return { list: [...list, annotation], result: annotation };
    });
  }

  update(
    sessionId: string,
    id: string,
    revision: number,
    patch: AnnotationPatch,
  ): Promise<Annotation> {
    return this.change(sessionId, (list) => {
      const current = list.find((a) => a.id === id);
      if (!current) throw new StorageError('not-found', 'That note no longer exists.');
      if (current.revision !== revision) {
        throw new AnnotationConflictError(
          'That note was changed in another window since you opened it; reload to see the latest version.',
        );
      }
      const next = valid({
        ...current,
        ...definedOnly(patch),
        updatedAt: this.now(),
        revision: current.revision + 1,
      });
      return { list: list.map((a) => (a.id === id ? next : a)), result: next };
    });
  }

  remove(sessionId: string, id: string): Promise<void> {
    return this.change(sessionId, (list) => {
      if (!list.some((a) => a.id === id)) {
        throw new StorageError('not-found', 'That note no longer exists.');
      }
      return { list: list.filter((a) => a.id !== id), result: undefined };
    });
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  private path(sessionId: string): string {
    return join(sessionDirectory(this.sessionsDir, sessionId), ANNOTATIONS_JSON);
  }

  private async read(
    sessionId: string,
  ): Promise<
    { ok: true; annotations: Annotation[] } | { ok: false; problem: string; exists: boolean }
  > {
    const read = await readJsonFile(this.path(sessionId), annotationsFileSchema);
    if (read.ok) return { ok: true, annotations: read.value.annotations };
    if (read.kind === 'missing') return { ok: true, annotations: [] };
    return {
      ok: false,
      exists: read.kind !== 'unreadable',
      problem: `Your notes could not be read: ${read.reason}. The file is left as it is; a new note will start a fresh list and keep the old file beside it.`,
    };
  }

  private change<T>(
    sessionId: string,
    edit: (list: Annotation[]) => { list: Annotation[]; result: T },
  ): Promise<T> {
    const path = this.path(sessionId);
    return this.serialize(sessionId, async () => {
      const read = await this.read(sessionId);
      let list: Annotation[] = [];
      if (read.ok) list = read.annotations;
      else if (read.exists) await moveAside(path);
      else throw new StorageError('io', read.problem, path);
      const { list: next, result } = edit(list);
      const body = { version: ANNOTATIONS_VERSION, annotations: sortAnnotations(next) };
      await writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`);
      return result;
    });
  }

  private serialize<T>(key: string, op: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const run = previous.then(op, op);
    const tail = run.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }
}

function definedOnly(patch: AnnotationPatch): AnnotationPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

function valid(candidate: unknown): Annotation {
  const parsed = annotationSchema.safeParse(candidate, { error: plainIssueMessages });
  if (!parsed.success) {
    throw new StorageError(
      'invalid-data',
      `The note is invalid: ${describeIssues(parsed.error.issues)}`,
    );
  }
  if (parsed.data.endMs < parsed.data.startMs) {
    throw new StorageError('invalid-data', 'The note ends before it starts.');
  }
  return parsed.data;
}

async function moveAside(path: string): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  try {
    await rename(path, `${path}.corrupt-${stamp}`);
  } catch (err) {
    throw toStorageError(err, path, { consequence: 'no note was changed.' });
  }
}
