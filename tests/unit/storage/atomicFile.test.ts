import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isTempFileOf, readJsonFile, writeFileAtomic } from '../../../src/storage/atomicFile';
import { StorageError, toStorageError } from '../../../src/storage/storageError';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mockloop-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates and then replaces a file, leaving no temp files behind', async () => {
    const path = join(dir, 'session.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, new TextEncoder().encode('second'));
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['session.json']);
  });

  it('fails with a StorageError and leaves the old target and no temp file', async () => {
    // A folder where the file should go: the rename fails after the temp file was written.
    const path = join(dir, 'settings.json');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'x');
    const error = await writeFileAtomic(path, '{}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toContain('previous version is unchanged');
    expect((await readdir(dir)).sort()).toEqual(['settings.json']);
    expect(await readdir(path)).toEqual(['keep']);
  });

  it('reports a missing folder as not-found', async () => {
    const error = await writeFileAtomic(join(dir, 'nope', 'a.json'), '{}').catch((e) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('not-found');
  });

  it('names its temp files so interrupted writes can be recognised', () => {
    expect(isTempFileOf('.session.json.1a2b3c4d.tmp', 'session.json')).toBe(true);
    expect(isTempFileOf('session.json', 'session.json')).toBe(false);
    expect(isTempFileOf('.settings.json.1a2b.tmp', 'session.json')).toBe(false);
  });
});

describe('readJsonFile', () => {
  const schema = z.object({ name: z.string(), nested: z.object({ count: z.number() }) });

  it('returns the validated value', async () => {
    const path = join(dir, 'ok.json');
    await writeFile(path, JSON.stringify({ name: 'a', nested: { count: 2 }, extra: true }));
    expect(await readJsonFile(path, schema)).toEqual({
      ok: true,
      value: { name: 'a', nested: { count: 2 } },
    });
  });

  it('says when the file is missing', async () => {
    const result = await readJsonFile(join(dir, 'absent.json'), schema);
    expect(result).toMatchObject({ ok: false, kind: 'missing' });
  });

  it('says when the file is not JSON, or empty', async () => {
    await writeFile(join(dir, 'torn.json'), '{"name": "a", "nes');
    await writeFile(join(dir, 'empty.json'), '');
    const torn = await readJsonFile(join(dir, 'torn.json'), schema);
    const empty = await readJsonFile(join(dir, 'empty.json'), schema);
    expect(torn).toMatchObject({ ok: false, kind: 'not-json' });
    expect(!torn.ok && torn.reason).toMatch(/torn\.json is not valid JSON/);
    expect(empty).toMatchObject({ ok: false, kind: 'not-json', reason: 'empty.json is empty' });
  });

  it('names the field that does not match the schema', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ name: 'a', nested: { count: 'two' } }));
    const result = await readJsonFile(path, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe('schema-mismatch');
    expect(result.reason).toContain('nested.count');
  });

  it('says a missing field is missing', async () => {
    const path = join(dir, 'partial.json');
    await writeFile(path, JSON.stringify({ nested: { count: 1 } }));
    const result = await readJsonFile(path, schema);
    expect(!result.ok && result.reason).toContain('name: is missing');
  });
});

describe('toStorageError', () => {
  it('turns disk errors into messages that say what to do', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    const full = toStorageError(errno('ENOSPC'), '/d/a.wav', {
      consequence: 'what was recorded so far is kept.',
    });
    expect(full.code).toBe('disk-full');
    expect(full.message).toBe(
      'The disk is full — free some space; what was recorded so far is kept.',
    );
    expect(toStorageError(errno('EROFS'), '/d').code).toBe('read-only');
    expect(toStorageError(errno('EACCES'), '/d', { action: 'read' }).message).toContain(
      'not allowed to read /d',
    );
    expect(toStorageError(new Error('odd'), '/d').code).toBe('io');
  });
});
