import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionIdSchema, type SessionRecord, type TurnRecord } from '../../../src/core/session';
import { millis } from '../../../src/core/units';
import { SessionStore, type SessionInit } from '../../../src/storage/sessionStore';
import { StorageError } from '../../../src/storage/storageError';
import { rampFrames, readWav } from '../../support/wavFile';

const FRAME = 4;

function init(overrides: Partial<SessionInit> = {}): SessionInit {
  return {
    round: {
      packId: 'acme-sys-design',
      title: 'System design',
      loopTitle: 'Backend onsite',
      company: 'Acme',
      budgetMs: 45 * 60_000,
    },
    persona: { name: 'Dana', role: 'Staff engineer' },
    providers: {
      stt: null,
      interviewer: { kind: 'fake' },
      tts: { kind: 'embedded', model: 'flite' },
    },
    transcriptAvailable: false,
    audio: {
      file: 'audio.wav',
      sampleRate: 24_000,
      channels: 2,
      channelLayout: ['candidate', 'interviewer'],
    },
    ...overrides,
  };
}

function turn(i: number): TurnRecord {
  return {
    id: `t${i}`,
    speaker: i % 2 ? 'candidate' : 'interviewer',
    startMs: millis(i * 1000),
    endMs: millis(i * 1000 + 900),
    text: null,
  };
}

/** A clock that advances one minute per reading, so creation order is unambiguous. */
function steppingClock(start = Date.UTC(2026, 10, 22, 18, 49, 50)) {
  let t = start;
  return () => {
    const now = new Date(t);
    t += 60_000;
    return now;
  };
}

let dataDir: string;
let store: SessionStore;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mockloop-sessions-'));
  store = new SessionStore(dataDir, { now: steppingClock() });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const sessionJson = (id: string) => join(dataDir, 'sessions', id, 'session.json');
const readRecord = async (id: string) =>
  JSON.parse(await readFile(sessionJson(id), 'utf8')) as SessionRecord;

describe('SessionStore basics', () => {
  it('creates a recording session with a time-sortable id', async () => {
    const record = await store.create(init());
    expect(record.id).toMatch(/^2026-11-22T18-49-50Z-[0-9a-f]{6}$/);
    expect(sessionIdSchema.safeParse(record.id).success).toBe(true);
    expect(record).toMatchObject({ status: 'recording', turns: [], durationMs: 0 });
    expect(await readRecord(record.id)).toEqual(record);
    expect(await store.get(record.id)).toEqual(record);
  });

  it('keeps every turn when many are appended at once', async () => {
    const { id } = await store.create(init());
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.appendTurn(id, turn(i))));
    const ids = (await store.get(id)).turns.map((t) => t.id);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `t${i}`));
  });

  it('interleaves updates, turns and finish without losing any of them', async () => {
    const { id, createdAt } = await store.create(init());
    const [, , finished] = await Promise.all([
      store.appendTurn(id, turn(0)),
      store.update(id, { transcriptAvailable: true }),
      store.finish(id, { status: 'complete', endReason: 'done', durationMs: 1234 }),
    ]);
    expect(finished).toMatchObject({ status: 'complete', endReason: 'done', durationMs: 1234 });
    const saved = await readRecord(id);
    expect(saved).toMatchObject({ transcriptAvailable: true, status: 'complete', createdAt });
    expect(saved.turns).toHaveLength(1);
    expect(saved.endedAt).toBeDefined();
  });

  it('rejects an invalid turn without changing the file', async () => {
    const { id } = await store.create(init());
    const before = await readFile(sessionJson(id), 'utf8');
    const bad = { ...turn(0), startMs: millis(-5) };
    await expect(store.appendTurn(id, bad)).rejects.toMatchObject({ code: 'invalid-data' });
    expect(await readFile(sessionJson(id), 'utf8')).toBe(before);
  });

  it('lists sessions newest first', async () => {
    const a = await store.create(init());
    const b = await store.create(init({ round: { ...init().round, title: 'Coding' } }));
    await store.appendTurn(b.id, turn(0));
    const { sessions, problems } = await store.list();
    expect(problems).toEqual([]);
    expect(sessions.map((s) => s.id)).toEqual([b.id, a.id]);
    expect(sessions[0]).toMatchObject({
      title: 'Coding',
      loopTitle: 'Backend onsite',
      turnCount: 1,
    });
  });

  it('lists nothing when no session was ever saved', async () => {
    expect(await store.list()).toEqual({ sessions: [], problems: [] });
  });
});

describe('damaged sessions', () => {
  it('lists a corrupt session.json as a problem, not a crash', async () => {
    const good = await store.create(init());
    const bad = await store.create(init());
    await writeFile(sessionJson(bad.id), '{"schemaVersion": 1, "id": "tor');
    const { sessions, problems } = await store.list();
    expect(sessions.map((s) => s.id)).toEqual([good.id]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(bad.id);
    expect(problems[0]).toContain('not valid JSON');
  });

  it('lists a folder without session.json as a problem', async () => {
    const id = '2026-01-01T00-00-00Z-abcdef';
    await mkdir(join(dataDir, 'sessions', id), { recursive: true });
    const { sessions, problems } = await store.list();
    expect(sessions).toEqual([]);
    expect(problems).toEqual([
      `Session ${id} has no session.json (the app may have stopped while creating it).`,
    ]);
  });

  it('get() of a corrupt or mismatched session is a typed error naming the field', async () => {
    const { id } = await store.create(init());
    const record = await readRecord(id);
    await writeFile(sessionJson(id), JSON.stringify({ ...record, durationMs: 'long' }));
    const error = await store.get(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'corrupt' });
    expect((error as Error).message).toContain('durationMs');

    await writeFile(sessionJson(id), JSON.stringify({ ...record, id: 'someone-else' }));
    await expect(store.get(id)).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('get() of an unknown session is not-found', async () => {
    await expect(store.get('2020-01-01T00-00-00Z-000000')).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('session ids from outside', () => {
  const hostile = ['../settings', '..', '.', '/etc/passwd', 'a/b', 'a\\b', 'ok\0', '', '-x'];

  it.each(hostile)('rejects %j everywhere', async (id) => {
    for (const call of [
      () => store.get(id),
      () => store.openRecording(id),
      () => store.appendTurn(id, turn(0)),
      () => store.update(id, { endReason: 'x' }),
      () => store.finish(id, { status: 'complete', durationMs: 0 }),
      () => store.audioPath(id),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'invalid-id' });
    }
  });

  it('refuses an audio file name that leaves the session folder', async () => {
    const audio = { ...init().audio, file: '../../escape.wav' };
    await expect(store.create(init({ audio }))).rejects.toMatchObject({ code: 'invalid-data' });
    // Refused before anything was written.
    expect(await readdir(join(dataDir, 'sessions'))).toEqual([]);
  });
});

describe('recovery after the app was killed mid-round', () => {
  it('repairs the recording, marks the session interrupted and keeps its audio', async () => {
    const { id } = await store.create(init());
    await store.appendTurn(id, turn(0));
    const writer = await store.openRecording(id);
    try {
      // 1.2 s through the writer: its header was last patched at 1 s.
      for (let i = 0; i < 12; i++) await writer.append(rampFrames(2400, i));
      // Then the kill: 0.3 s more reached the disk, ending in a torn frame, and a
      // session.json rewrite was cut off before its rename.
      const wavPath = join(dataDir, 'sessions', id, 'audio.wav');
      await appendFile(wavPath, rampFrames(7201).subarray(0, 7200 * FRAME + 2));
      await writeFile(join(dataDir, 'sessions', id, '.session.json.deadbeef.tmp'), '{"schemaV');
      expect((await readWav(wavPath)).dataSize).toBe(24_000 * FRAME);

      // The app restarts.
      const restarted = new SessionStore(dataDir);
      expect(await restarted.recoverInterrupted()).toEqual([id]);

      const record = await restarted.get(id);
      expect(record.status).toBe('interrupted');
      expect(record.endReason).toBe('app-stopped');
      expect(record.durationMs).toBe(1500);
      expect(record.turns).toHaveLength(1);
      const wav = await readWav(wavPath);
      expect(wav.dataSize).toBe(36_000 * FRAME);
      expect(wav.fileBytes).toBe(44 + 36_000 * FRAME);
      expect(await readdir(join(dataDir, 'sessions', id))).toEqual(['audio.wav', 'session.json']);
      expect((await restarted.list()).sessions[0]).toMatchObject({ id, status: 'interrupted' });

      // Nothing left to recover the second time.
      expect(await new SessionStore(dataDir).recoverInterrupted()).toEqual([]);
    } finally {
      await writer.close().catch(() => undefined);
    }
  });

  it('recovers a round that died before any audio was written', async () => {
    const { id } = await store.create(init());
    expect(await new SessionStore(dataDir).recoverInterrupted()).toEqual([id]);
    expect(await store.get(id)).toMatchObject({ status: 'interrupted', durationMs: 0 });
  });

  it('uses a complete temp file when the first session.json write never got renamed', async () => {
    const { id } = await store.create(init());
    const folder = join(dataDir, 'sessions', id);
    const complete = await readFile(sessionJson(id), 'utf8');
    await rm(sessionJson(id));
    await writeFile(join(folder, '.session.json.0badf00d.tmp'), complete.slice(0, 40));
    await writeFile(join(folder, '.session.json.c0ffee00.tmp'), complete);
    expect(await new SessionStore(dataDir).recoverInterrupted()).toEqual([id]);
    expect(await store.get(id)).toMatchObject({ status: 'interrupted' });
    expect(await readdir(folder)).toEqual(['session.json']);
  });

  it('leaves finished sessions, corrupt ones and the round it is recording alone', async () => {
    const done = await store.create(init());
    await store.finish(done.id, { status: 'complete', durationMs: 10 });
    const corrupt = await store.create(init());
    await writeFile(sessionJson(corrupt.id), 'nonsense');
    const live = await store.create(init());
    const writer = await store.openRecording(live.id);
    try {
      expect(await store.recoverInterrupted()).toEqual([]);
      expect((await store.get(live.id)).status).toBe('recording');
      expect((await store.get(done.id)).status).toBe('complete');
      expect(await readFile(sessionJson(corrupt.id), 'utf8')).toBe('nonsense');
    } finally {
      await writer.close();
    }
  });

  it('ignores stray folders and files in the sessions folder', async () => {
    await mkdir(join(dataDir, 'sessions', '.hidden'), { recursive: true });
    await writeFile(join(dataDir, 'sessions', 'notes.txt'), 'hi');
    expect(await store.recoverInterrupted()).toEqual([]);
    expect(await store.list()).toEqual({ sessions: [], problems: [] });
  });
});
