import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { launchWithMicrophone } from '../support/chromium';
import { sessionSchema } from '../../src/core/session';
import { onlySession, shownTurns, waitForTurns } from '../support/roundScenario';
import { buildSpeechFixture } from '../support/speechFixture';
import { readWav } from '../support/wavFile';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');

/** The Kafka pack with a one-line opening, so the first turn lands quickly. */
function quickPromptsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mockloop-prompts-'));
  const source = readFileSync(
    join(ROOT, 'prompts/confluent-engineering/kafka-internals.yaml'),
    'utf8',
  );
  const pack = parse(source) as { opening: string; questions: { prompt: string }[] };
  pack.opening = "Hi, I'm Ingrid.";
  pack.questions[0]!.prompt = 'How does a broker find an offset on disk?';
  mkdirSync(join(dir, 'engineering'));
  writeFileSync(join(dir, 'engineering', 'kafka.yaml'), stringify(pack));
  return dir;
}

/**
 * A real crash: SIGKILL the browser-mode backend mid-round, start it again, and find the
 * session repaired — audio readable up to the last chunk written, committed turns kept,
 * marked interrupted and listed.
 */
describe('a backend killed mid-round', () => {
  const apps: RunningWebApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
  });

  it('leaves a session that is repaired, marked interrupted, listed, measured and resumable on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mockloop-crash-'));
    const prompts = quickPromptsDir();
    const fixture = buildSpeechFixture([
      { silence: 8 },
      { say: 'Each partition is a directory of segment files, and each segment has an index.' },
      { silence: 30 },
    ]);
    const first = await startWebApp(dataDir, {}, ['--prompts', prompts]);
    apps.push(first);
    const { browser, page } = await launchWithMicrophone(fixture.path);
    try {
      await page.goto(first.url);
      await page.getByText('Kafka internals deep dive').first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForTurns(page, 1, 60_000);
      await page.getByText('You are speaking').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(2500);
      await first.kill();

      const crashed = onlySession(dataDir);
      expect(crashed.session.status).toBe('recording');
      expect(crashed.session.turns.length).toBeGreaterThanOrEqual(1);
      const wavBytes = statSync(join(crashed.dir, 'audio.wav')).size;
      expect(wavBytes).toBeGreaterThan(44 + 4 * 24_000 * 3);

      const second = await startWebApp(dataDir, {}, ['--prompts', prompts]);
      apps.push(second);
      const { session, dir } = onlySession(dataDir);
      expect(session.status).toBe('interrupted');
      expect(session.turns.map((t) => t.text)).toEqual(crashed.session.turns.map((t) => t.text));
      const wav = await readWav(join(dir, 'audio.wav'));
      // The header now matches the audio on disk, whole frames only.
      expect(wav.dataSize).toBe(wav.fileBytes - 44);
      expect(wav.dataSize % 4).toBe(0);
      expect(wav.dataSize).toBeGreaterThanOrEqual(wavBytes - 44 - 3);
      expect(Math.abs(session.durationMs - (wav.dataSize / 4 / 24_000) * 1000)).toBeLessThan(1);
      expect(session.durationMs).toBeGreaterThan(session.turns[0]!.endMs);

      await page.goto(second.url);
      const row = page.getByRole('row').filter({ hasText: 'Kafka internals deep dive' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Interrupted');
      await row.getByRole('button').click();
      await page.getByRole('heading', { name: 'Round summary' }).waitFor();
      // What was recorded before the crash was measured on recovery, ready to score.
      await page.getByRole('heading', { name: 'Delivery (measured offline)' }).waitFor();

      // Resume: a new session carries on the round where it stopped.
      await page.getByRole('button', { name: 'Resume round' }).click();
      await waitForTurns(page, 1, 60_000);
      const [pickUp] = await shownTurns(page);
      expect(pickUp?.text).toMatch(/^Sorry, we got cut off/);
      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByRole('heading', { name: 'Round summary' }).waitFor();
      const ids = readdirSync(join(dataDir, 'sessions'));
      expect(ids).toHaveLength(2);
      const records = ids.map((id) =>
        sessionSchema.parse(
          JSON.parse(readFileSync(join(dataDir, 'sessions', id, 'session.json'), 'utf8')),
        ),
      );
      const continuation = records.find((r) => r.resumeOf)!;
      expect(continuation.resumeOf).toEqual({ sessionId: session.id, atMs: session.durationMs });
      expect(records.find((r) => r.id === session.id)?.resumedIn).toBe(continuation.id);
    } finally {
      await browser.close();
    }
  });
});
