import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundPack } from '../../src/core/roundPack';
import { pickFollowUp } from '../../src/providers/embedded/scriptedInterviewer';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchWithMicrophone } from '../support/chromium';
import {
  channelRms,
  onlySession,
  screenshot,
  shownTurns,
  waitForTurns,
} from '../support/roundScenario';
import { spokenSeconds } from '../support/embeddedVoiceDurations';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture';
import { readWav } from '../support/wavFile';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');
const ANSWERS = [
  'A sparse index stays small enough to keep in memory, and a short scan finds the rest.',
  'The leader only advances the high watermark once every in sync replica has the record.',
];

/**
 * The offline default end to end: no key, the scripted interviewer speaking with the
 * embedded voice, the microphone fed from a WAV of spoken answers with pauses.
 */
describe('an offline round in browser mode', () => {
  let app: RunningWebApp;
  let dataDir: string;
  let pack: RoundPack;
  let fixture: SpeechFixture;
  let probes: string[];

  beforeAll(async () => {
    const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
    pack = packs.find((p) => p.title === 'Kafka internals deep dive')!;
    const first = pack.questions[0]!;
    // The interviewer's lines are known in advance (the persona probes each question up
    // to probing.maxFollowUps times), so the answers can be timed to land after them,
    // with room for start-up and synthesis.
    const asked = new Set<string>();
    probes = [];
    for (let i = 0; i < pack.persona.probing.maxFollowUps; i++) {
      const probe = pickFollowUp(first, 5_000, pack.persona, asked)!;
      asked.add(probe.prompt);
      probes.push(probe.prompt);
    }
    const [openingSeconds = 0, ...probeSeconds] = spokenSeconds(
      pack,
      `${pack.opening} ${first.prompt}`,
      ...probes,
    );
    fixture = buildSpeechFixture([
      { silence: openingSeconds + 6 },
      {
        say: 'Each partition is a sequence of segment files with a sparse offset index beside each one.',
      },
      ...probeSeconds.flatMap((seconds, i) => [
        { silence: 1.2 + seconds + 6 },
        { say: ANSWERS[i % ANSWERS.length]! },
      ]),
      { silence: 30 },
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-offline-'));
    app = await startWebApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('asks, listens, follows up, moves on, and saves the session', async () => {
    const { browser, page } = await launchWithMicrophone(fixture.path);
    try {
      await page.goto(app.url);
      await page.getByText('Kafka internals deep dive').first().waitFor();
      await screenshot(page, 'offline-home');
      await page.getByText('Kafka internals deep dive').first().click();
      await page.getByRole('button', { name: 'Start round' }).click();

      // Opening + first question, then the first answer, then a follow-up from the pack.
      await waitForTurns(page, 3, 120_000);
      await screenshot(page, 'offline-live');
      let turns = await shownTurns(page);
      expect(turns.slice(0, 3).map((t) => t.who)).toEqual([
        'interviewer',
        'candidate',
        'interviewer',
      ]);
      expect(turns[0]!.text).toContain(pack.questions[0]!.prompt);
      expect(pack.questions[0]!.followUps.map((f) => f.prompt)).toContain(turns[2]!.text);
      expect(turns[1]!.text).toMatch(/no transcript/);

      // Each further answer gets the persona's next probe; then it moves on.
      const moveOn = 2 + 2 * probes.length;
      await waitForTurns(page, moveOn + 1, 150_000);
      turns = await shownTurns(page);
      probes.forEach((probe, i) => expect(turns[2 + 2 * i]!.text).toBe(probe));
      expect(turns[moveOn - 1]!.who).toBe('candidate');
      expect(turns[moveOn]!.text).toContain(pack.questions[1]!.prompt);

      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
      await screenshot(page, 'offline-ended');

      await page.getByRole('button', { name: 'Back to rounds' }).click();
      const row = page.getByRole('row').filter({ hasText: 'Kafka internals deep dive' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Complete');
      await screenshot(page, 'offline-sessions');
    } finally {
      await browser.close();
    }

    const { dir, session } = onlySession(dataDir);
    expect(session.status).toBe('complete');
    expect(session.transcriptAvailable).toBe(false);
    expect(session.round.title).toBe('Kafka internals deep dive');
    expect(session.persona.name).toBe(pack.persona.name);
    expect(session.providers.interviewer.kind).toBe('embedded');
    expect(session.providers.stt).toBeNull();

    const candidate = session.turns.filter((t) => t.speaker === 'candidate');
    expect(candidate.length).toBeGreaterThanOrEqual(2);
    expect(candidate.every((t) => t.text === null)).toBe(true);
    // Turn lengths and the gap between answers match the fixture (the page's start-up
    // offset cancels out of both).
    const [a1, a2] = fixture.spoken;
    for (const [turn, truth] of [
      [candidate[0]!, a1!],
      [candidate[1]!, a2!],
    ] as const) {
      expect(Math.abs((turn.endMs - turn.startMs) / 1000 - (truth.end - truth.start))).toBeLessThan(
        0.8,
      );
    }
    expect(
      Math.abs((candidate[1]!.startMs - candidate[0]!.startMs) / 1000 - (a2!.start - a1!.start)),
    ).toBeLessThan(0.5);
    for (let i = 1; i < session.turns.length; i++) {
      expect(session.turns[i]!.startMs).toBeGreaterThanOrEqual(session.turns[i - 1]!.endMs - 50);
    }

    // Stereo recording of the whole round: the candidate on the left, the interviewer
    // (only what was played) on the right.
    const wavPath = join(dir, session.audio.file);
    const wav = await readWav(wavPath);
    expect(wav.channels).toBe(2);
    expect(wav.sampleRate).toBe(24_000);
    const seconds = wav.dataSize / 4 / wav.sampleRate;
    expect(Math.abs(seconds * 1000 - session.durationMs)).toBeLessThan(50);
    expect(seconds).toBeGreaterThan(a2!.end - a1!.start);
    const t1 = candidate[0]!;
    const opening = session.turns[0]!;
    expect(await channelRms(wavPath, 0, t1.startMs / 1000, t1.endMs / 1000)).toBeGreaterThan(0.02);
    expect(await channelRms(wavPath, 1, t1.startMs / 1000, t1.endMs / 1000)).toBeLessThan(0.002);
    expect(
      await channelRms(wavPath, 1, opening.startMs / 1000, opening.endMs / 1000),
    ).toBeGreaterThan(0.02);
  });
});
