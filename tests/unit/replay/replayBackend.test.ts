import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src/api/dispatcher';
import { SessionExporter } from '../../../src/backend/exportBackend';
import { MemoryKeyVault } from '../../../src/backend/keyVault';
import { MockloopService } from '../../../src/backend/mockloopService';
import { RecordingPeaks } from '../../../src/backend/recordingPeaks';
import { SessionRecorder } from '../../../src/backend/sessionRecorder';
import { bytesToInt16, computePeaks, peaksFileSchema } from '../../../src/core/peaks';
import type { RoundPack } from '../../../src/core/roundPack';
import { millis } from '../../../src/core/units';
import { AttemptStore } from '../../../src/storage/attemptStore';
import { writePeaksFile } from '../../../src/storage/peaksFile';
import { loadRoundPacks } from '../../../src/storage/roundPackLoader';
import { SessionStore } from '../../../src/storage/sessionStore';
import { WavStreamWriter } from '../../../src/storage/wavStreamWriter';
import { makeShortSession, type MadeSession } from '../../support/replaySessions';

const promptsDir = join(import.meta.dirname, '../../../prompts');
const context: CallContext = { clientId: 'c1', emit: () => undefined };
let dataDir: string;
let pack: RoundPack;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mockloop-replay-backend-'));
  pack = (await loadRoundPacks(promptsDir)).packs.find((p) => p.id === 'eng-kafka-internals')!;
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function service(mode: 'browser' | 'electron' = 'browser') {
  return new MockloopService({
    dataDir,
    promptsDir,
    mode,
    version: 'test',
    keyVault: new MemoryKeyVault(),
    env: {},
  });
}

describe('peaks while recording', () => {
  it('are saved every 15 s of audio and completely at the end', async () => {
    const path = join(dataDir, 'audio.wav');
    const writer = await WavStreamWriter.create(path, { sampleRate: 24_000, channels: 2 });
    const saves: number[] = [];
    const peaks = new RecordingPeaks(2, 24_000, async (p) => {
      saves.push(p.frames);
      await writePeaksFile(dataDir, p);
    });
    const recorder = new SessionRecorder(writer, () => undefined, peaks);
    const all: Int16Array[] = [];
    for (let i = 0; i < 200; i++) {
      // 100 ms chunks, 20 s in all, plus a last odd-sized chunk.
      const frames = i === 199 ? 1234 : 2400;
      const chunk = Int16Array.from(
        { length: frames * 2 },
        (_, k) => ((i * 131 + k) % 2000) - 1000,
      );
      all.push(chunk);
      recorder.write(chunk);
    }
    await recorder.close();
    const total = all.reduce((n, c) => n + c.length / 2, 0);
    expect(saves[0]).toBe(24_000 * 15);
    expect(saves.at(-1)).toBe(total);
    const file = peaksFileSchema.parse(
      JSON.parse(await readFile(join(dataDir, 'peaks.json'), 'utf8')),
    );
    expect(file.frames).toBe(total);
    const joined = new Int16Array(total * 2);
    let at = 0;
    for (const c of all) {
      joined.set(c, at);
      at += c.length;
    }
    const expected = computePeaks(joined, 2, 24_000);
    expect(file.length).toBe(expected.length);
  });
});

describe('replay.open', () => {
  it('returns the peaks, the media URL, the questions and notes of a session', async () => {
    const made = await makeShortSession(dataDir, pack, { voice: 'synthetic' });
    const s = service();
    const data = await s.handlers['replay.open']({ id: made.id }, context);
    expect(data.audioUrl).toBe(`/media/sessions/${made.id}/audio.wav`);
    expect(data.audioProblem).toBeNull();
    expect((data.peaks!.frames * 1000) / 24_000).toBeCloseTo(made.record.durationMs, 0);
    expect(data.peaks!.channels).toHaveLength(2);
    expect(bytesToInt16(data.peaks!.channels[0]!).length).toBe(data.peaks!.length * 2);
    expect(data.questions.map((q) => [q.id, q.canAnswerAgain])).toEqual([
      [pack.questions[0]!.id, true],
      [pack.questions[1]!.id, true],
    ]);
    expect(data.questions[0]!.topic).toBe(pack.questions[0]!.topic);
    expect(data.annotations).toEqual([]);
    expect(data.attempts).toEqual([]);

    const electron = await service('electron').handlers['replay.open']({ id: made.id }, context);
    expect(electron.audioUrl).toBe(`mockloop://app/media/sessions/${made.id}/audio.wav`);
  });

  it('opens without a waveform, and says why, when the recording is missing', async () => {
    const made = await makeShortSession(dataDir, pack, { voice: 'synthetic' });
    await rm(join(made.dir, 'audio.wav'));
    const data = await service().handlers['replay.open']({ id: made.id }, context);
    expect(data.peaks).toBeNull();
    expect(data.audioUrl).toBeNull();
    expect(data.audioProblem).toBe('This session has no recording.');
    expect(data.session.turns).toHaveLength(made.record.turns.length);
  });

  it('reports a corrupt annotations.json and still opens', async () => {
    const made = await makeShortSession(dataDir, pack, { voice: 'synthetic' });
    await writeFile(join(made.dir, 'annotations.json'), '{oops');
    const data = await service().handlers['replay.open']({ id: made.id }, context);
    expect(data.annotationsProblem).toMatch(/could not be read/);
    expect(data.peaks).not.toBeNull();
  });

  it('clamps a note to the recording', async () => {
    const made = await makeShortSession(dataDir, pack, { voice: 'synthetic' });
    const s = service();
    const note = await s.handlers['annotations.add'](
      { sessionId: made.id, startMs: 5000, endMs: 10_000_000, tag: 'rambling', note: '' },
      context,
    );
    expect(note.endMs).toBe(Math.round(made.record.durationMs));
  });
});

describe('answer-again attempts on disk', () => {
  async function addAttempt(made: MadeSession, questionId: string) {
    const sessionId = made.id;
    const attempts = new AttemptStore(join(dataDir, 'sessions'));
    const { attempt, record } = await attempts.create(sessionId, {
      round: made.record.round,
      persona: made.record.persona,
      providers: made.record.providers,
      transcriptAvailable: true,
      audio: made.record.audio,
      attemptOf: { sessionId, questionId },
    });
    const store = attempts.storeFor(sessionId);
    const writer = await store.openRecording(record.id);
    await writer.append(new Uint8Array(24_000 * 4));
    await writer.close();
    await store.appendTurn(record.id, {
      id: 't1',
      speaker: 'interviewer',
      startMs: millis(0),
      endMs: millis(500),
      text: 'Again?',
      questionId,
    });
    await store.appendTurn(record.id, {
      id: 't2',
      speaker: 'candidate',
      startMs: millis(600),
      endMs: millis(900),
      text: 'A partition is a directory of segment files, named by base offset.',
    });
    await store.finish(record.id, { status: 'complete', durationMs: 1000 });
    return { attempt };
  }

  it('are numbered inside the session folder, listed, compared and exported', async () => {
    const original = await makeShortSession(dataDir, pack, { voice: 'synthetic' });
    const q = pack.questions[0]!;
    const first = await addAttempt(original, q.id);
    const second = await addAttempt(original, q.id);
    expect([first.attempt, second.attempt]).toEqual([1, 2]);
    const s = service();
    const data = await s.handlers['replay.open']({ id: original.id }, context);
    expect(data.attempts.map((a) => [a.attempt, a.questionId, a.status])).toEqual([
      [1, q.id, 'complete'],
      [2, q.id, 'complete'],
    ]);
    // Attempts do not show up as sessions of their own.
    const { sessions } = await s.handlers['sessions.list']({}, context);
    expect(sessions.map((x) => x.id)).not.toContain('1');

    const compare = await s.handlers['attempts.compare'](
      { sessionId: original.id, attempt: 2 },
      context,
    );
    expect(compare.question?.id).toBe(q.id);
    expect(compare.original.turns.map((t) => t.id)).toEqual(['t1', 't2', 't3', 't4']);
    expect(compare.original.audioUrl).toBe(`/media/sessions/${original.id}/audio.wav`);
    expect(compare.attempt.audioUrl).toBe(`/media/sessions/${original.id}/attempts/2/audio.wav`);
    expect(compare.original.coverage!.filter((c) => c.covered).length).toBeGreaterThan(0);
    expect(
      compare.attempt.coverage!.find((c) => c.concept.startsWith('a partition is'))?.covered,
    ).toBe(true);

    // Attempts are part of the session's export (see tests/unit/export/).
    const exported = await new SessionExporter({ dataDir, promptsDir, version: 'test' }).render(
      original.id,
      'md',
    );
    expect(exported.fileName).toBe(`mockloop-${original.id}.md`);
    expect(Buffer.from(exported.body).toString()).toContain(`### Attempt 2: ${q.topic}`);
  });

  it('cut off by a crash are repaired on the next start', async () => {
    const original = await makeShortSession(dataDir, pack, { voice: 'synthetic' });
    const attempts = new AttemptStore(join(dataDir, 'sessions'));
    const { record } = await attempts.create(original.id, {
      round: original.record.round,
      persona: original.record.persona,
      providers: original.record.providers,
      transcriptAvailable: false,
      audio: original.record.audio,
      attemptOf: { sessionId: original.id, questionId: pack.questions[0]!.id },
    });
    const writer = await attempts.storeFor(original.id).openRecording(record.id);
    await writer.append(new Uint8Array(24_000 * 8));
    // No close: the app died. The next start repairs it.
    await service().recover();
    await writer.close();
    const repaired = await new SessionStore(dataDir).get(original.id);
    expect(repaired.status).toBe('complete');
    const attempt = await new AttemptStore(join(dataDir, 'sessions')).get(original.id, 1);
    expect(attempt.status).toBe('interrupted');
    expect(attempt.durationMs).toBeGreaterThan(0);
  });

  it('refuse a question the pack does not have', async () => {
    const original = await makeShortSession(dataDir, pack, { voice: 'synthetic' });
    await expect(
      service().handlers['attempts.start']({ sessionId: original.id, questionId: 'nope' }, context),
    ).rejects.toThrow(/no question "nope"/);
  });
});
