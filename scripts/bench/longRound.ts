// The `long-round` section: a 60-minute round with fake providers, driven through the
// backend's API handlers on a fake clock (so it takes seconds, not an hour), with 100 ms
// audio chunks, a candidate turn every 20 s and the interviewer's audio "played" as soon
// as it arrives. Reports backend heap growth from minute 5 to minute 60 (after forced GC)
// and the audio frames lost between what was sent and what is on disk.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ApiEvent } from '../../src/api/contract';
import { MemoryKeyVault } from '../../src/backend/keyVault';
import { MockloopService } from '../../src/backend/mockloopService';
import { FakeClock } from '../../src/engine/testing/fakeClock';
import type { Section } from './section';
import { figure } from './stats';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MINUTES = 60;
const CHUNK_MS = 100;
const FRAMES_PER_CHUNK = 2400;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Simulates `minutes` of a round; exported for the test that checks no audio is lost. */
export async function simulateRound(
  minutes = MINUTES,
): Promise<{ growthMb: number; lostFrames: number; wallMs: number; turns: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mockloop-long-'));
  try {
    return await simulateRoundIn(dataDir, minutes);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function simulateRoundIn(
  dataDir: string,
  minutes: number,
): Promise<{ growthMb: number; lostFrames: number; wallMs: number; turns: number }> {
  await writeFile(
    join(dataDir, 'settings.json'),
    JSON.stringify({
      schemaVersion: 1,
      providers: { stt: 'fake', interviewer: 'fake', tts: 'fake' },
    }),
  );
  const clock = new FakeClock();
  const service = new MockloopService({
    dataDir,
    promptsDir: join(ROOT, 'prompts'),
    mode: 'browser',
    version: 'bench',
    keyVault: new MemoryKeyVault(),
    env: {},
    clock,
  });
  try {
    return await driveRound(service, dataDir, clock, minutes);
  } finally {
    await service.shutdown();
  }
}

async function driveRound(
  service: MockloopService,
  dataDir: string,
  clock: FakeClock,
  minutes: number,
): Promise<{ growthMb: number; lostFrames: number; wallMs: number; turns: number }> {
  const h = service.handlers;
  const utterances = new Map<string, number>();
  const lastChunks: string[] = [];
  const context = {
    clientId: 'bench',
    emit: (e: ApiEvent) => {
      if (e.event.type === 'speech') {
        const samples = (utterances.get(e.event.utteranceId) ?? 0) + e.event.pcm.byteLength / 2;
        utterances.set(e.event.utteranceId, samples);
        if (e.event.last) lastChunks.push(e.event.utteranceId);
      }
    },
  };
  const started = await h['round.start']({ roundId: 'eng-coding' }, context);
  const sessionId = started.sessionId;
  const chunk = new Uint8Array(FRAMES_PER_CHUNK * 4);
  const view = new DataView(chunk.buffer);
  for (let i = 0; i < FRAMES_PER_CHUNK; i++)
    view.setInt16(i * 4, Math.round(3000 * Math.sin(i / 7)), true);

  const t0 = Date.now();
  let sentFrames = 0;
  let baseline = 0;
  for (let ms = 0; ms < minutes * 60_000; ms += CHUNK_MS) {
    await h['round.audio']({ sessionId, pcm: chunk }, context);
    sentFrames += FRAMES_PER_CHUNK;
    // Every 20 s the candidate speaks for 8 s.
    const inCycle = ms % 20_000;
    if (inCycle === 2_000)
      await h['round.vad']({ sessionId, type: 'speech-start', atMs: ms }, context);
    if (inCycle === 10_000)
      await h['round.vad']({ sessionId, type: 'speech-end', atMs: ms }, context);
    // The interviewer's audio is "played" the moment it has all arrived.
    for (const id of lastChunks.splice(0)) {
      await h['round.playback'](
        { sessionId, utteranceId: id, event: 'started', atMs: ms, playedSamples: 0 },
        context,
      );
      await h['round.playback'](
        {
          sessionId,
          utteranceId: id,
          event: 'ended',
          atMs: ms,
          playedSamples: utterances.get(id) ?? 0,
        },
        context,
      );
      utterances.delete(id);
    }
    clock.advance(CHUNK_MS);
    // Let the fake providers' zero-delay streams (timers) run, as real time would.
    await new Promise((r) => setTimeout(r, 0));
    if (ms === Math.min(5, minutes / 2) * 60_000) baseline = heapMb();
  }
  const end = heapMb();
  const { summary } = await h['round.end']({ sessionId }, context);
  const wallMs = Date.now() - t0;
  const bytes = (await stat(join(dataDir, 'sessions', sessionId, 'audio.wav'))).size - 44;
  const lostFrames = sentFrames - bytes / 4;
  return {
    growthMb: end - baseline,
    lostFrames,
    wallMs,
    turns: summary.candidateTurns + summary.interviewerTurns,
  };
}

export const longRoundSection: Section = async ({ runs, log }) => {
  // Each run writes and deletes a 345 MB recording: three are enough for a median.
  const n = Math.min(runs, 3);
  const growth: number[] = [];
  const lost: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await simulateRound();
    log(
      `run ${i + 1}: heap growth ${r.growthMb.toFixed(1)} MB, lost frames ${r.lostFrames}, ${r.turns} turns, ${r.wallMs} ms`,
    );
    growth.push(r.growthMb);
    lost.push(r.lostFrames);
    wall.push(r.wallMs);
  }
  return {
    figures: {
      long_round_mem_growth_mb: figure(growth, 'MB'),
      long_round_lost_frames: figure(lost, 'frames', 0),
      long_round_sim_wall_ms: figure(wall, 'ms', 0),
    },
    notes:
      'A 60-minute round (eng-coding, fake providers, fake clock) driven through the API handlers with 100 ms stereo chunks and a candidate turn every 20 s. Heap: process heapUsed after forced GC at minute 60 minus at minute 5. Lost frames: frames sent minus frames in audio.wav.',
  };
};
