import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotationsFileSchema } from '../../../src/core/annotations';
import { AnnotationConflictError, AnnotationsStore } from '../../../src/storage/annotationsStore';
import { StorageError } from '../../../src/storage/storageError';

const ID = '2026-11-22T18-49-50Z-ab12cd';
let sessionsDir: string;
let store: AnnotationsStore;

beforeEach(async () => {
  sessionsDir = join(await mkdtemp(join(tmpdir(), 'mockloop-notes-')), 'sessions');
  await mkdir(join(sessionsDir, ID), { recursive: true });
  store = new AnnotationsStore(sessionsDir);
});
afterEach(async () => {
  await rm(join(sessionsDir, '..'), { recursive: true, force: true });
});

const file = () => join(sessionsDir, ID, 'annotations.json');
const onDisk = async () =>
  annotationsFileSchema.parse(JSON.parse(await readFile(file(), 'utf8'))).annotations;

describe('AnnotationsStore', () => {
  it('starts empty, adds, lists by time, edits and deletes', async () => {
    expect(await store.list(ID)).toEqual({ annotations: [], problem: null });
    const late = await store.add(ID, { startMs: 9000, endMs: 12000, tag: 'rambling', note: 'x' });
    const early = await store.add(ID, {
      startMs: 1000,
      endMs: 2500,
      tag: 'strong example',
      note: 'Good numbers.',
      quote: 'two million events a second',
      turnId: 't2',
    });
    expect(early).toMatchObject({
      revision: 1,
      quote: 'two million events a second',
      turnId: 't2',
    });
    expect((await store.list(ID)).annotations.map((a) => a.id)).toEqual([early.id, late.id]);

    const edited = await store.update(ID, late.id, 1, { note: 'Lost the thread.', tag: 'unclear' });
    expect(edited).toMatchObject({
      revision: 2,
      note: 'Lost the thread.',
      tag: 'unclear',
      startMs: 9000,
    });
    await store.remove(ID, early.id);
    expect(await onDisk()).toEqual([edited]);
  });

  it('keeps every note when many are added at once', async () => {
    const added = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        store.add(ID, { startMs: i * 1000, endMs: i * 1000 + 500, tag: `t${i % 3}`, note: `${i}` }),
      ),
    );
    expect(new Set(added.map((a) => a.id)).size).toBe(25);
    expect((await onDisk()).map((a) => a.note)).toEqual(added.map((a) => a.note));
  });

  it('refuses an edit made on a stale revision instead of overwriting the newer one', async () => {
    const note = await store.add(ID, { startMs: 0, endMs: 1000, tag: 'rambling', note: 'first' });
    const results = await Promise.allSettled([
      store.update(ID, note.id, 1, { note: 'window A' }),
      store.update(ID, note.id, 1, { note: 'window B' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AnnotationConflictError);
    expect(String(rejected.reason.message)).toMatch(/another window/);
    const [saved] = await onDisk();
    expect(saved).toMatchObject({ revision: 2 });
    expect(['window A', 'window B']).toContain(saved!.note);
  });

  it('says when a note is gone', async () => {
    await expect(store.update(ID, 'nmissing', 1, { note: 'x' })).rejects.toSatisfy(
      (e) => e instanceof StorageError && e.code === 'not-found',
    );
    await expect(store.remove(ID, 'nmissing')).rejects.toThrow(/no longer exists/);
  });

  it('rejects invalid notes without writing anything', async () => {
    await expect(store.add(ID, { startMs: 5, endMs: 1, tag: 'x', note: '' })).rejects.toThrow(
      /ends before it starts/,
    );
    await expect(store.add(ID, { startMs: 0, endMs: 1, tag: '   ', note: '' })).rejects.toThrow(
      /tag/,
    );
    await expect(readdir(join(sessionsDir, ID))).resolves.toEqual([]);
  });

  it('refuses session ids that are not ids', async () => {
    await expect(store.list('../etc')).rejects.toSatisfy(
      (e) => e instanceof StorageError && e.code === 'invalid-id',
    );
  });

  it.each([
    ['not JSON', '{"version":1,"annotations":['],
    ['the wrong shape', '{"version":1,"annotations":[{"id":"x"}]}'],
    ['a future version', '{"version":9,"annotations":[]}'],
  ])(
    'reports a file that is %s, leaves it alone, and keeps it aside on the next note',
    async (_what, content) => {
      await writeFile(file(), content);
      const listed = await store.list(ID);
      expect(listed.annotations).toEqual([]);
      expect(listed.problem).toMatch(/could not be read/);
      expect(await readFile(file(), 'utf8')).toBe(content);

      const note = await store.add(ID, { startMs: 0, endMs: 1, tag: 'rambling', note: '' });
      expect(await onDisk()).toEqual([note]);
      const names = await readdir(join(sessionsDir, ID));
      const aside = names.find((n) => n.startsWith('annotations.json.corrupt-'));
      expect(aside).toBeDefined();
      expect(await readFile(join(sessionsDir, ID, aside!), 'utf8')).toBe(content);
      expect((await store.list(ID)).problem).toBeNull();
    },
  );
});
