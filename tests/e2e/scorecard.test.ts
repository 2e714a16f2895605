import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScorerOutput } from '../../src/core/modelScoring';
import type { RoundPack } from '../../src/core/roundPack';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchChromium } from '../support/chromium';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fakeOpenAIServer';
import { makeShortSession, SHORT_ANSWERS, type MadeSession } from '../support/replaySessions';
import { screenshot } from '../support/roundScenario';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The scorecard as a user meets it in browser mode: score a recorded session with a
 * (local, scripted) model, click evidence to hear it, survive a scorer that fails, review
 * yourself against the descriptors, and see it all on the progress screen.
 */
describe('scorecards and progress in browser mode', () => {
  let server: FakeOpenAIServer;
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let pack: RoundPack;
  let session: MadeSession;

  beforeAll(async () => {
    const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
    pack = packs.find((p) => p.id === 'eng-kafka-internals')!;
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-scorecard-'));
    session = await makeShortSession(dataDir, pack);
    server = await startFakeOpenAIServer();
    app = await startWebApp(dataDir, { OPENAI_API_KEY: 'sk-e2e', OPENAI_BASE_URL: server.url });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function scripted(): string {
    const quote = SHORT_ANSWERS[2]!.split(' ').slice(4, 14).join(' ');
    const output: ScorerOutput = {
      criteria: pack.rubric.map((c, i) => ({
        criterionId: c.id,
        score: i === 0 ? 3 : i === 1 ? 4 : null,
        rationale:
          i === 0 ? 'Explained the ISR and the high watermark precisely.' : 'Not addressed.',
        quotes: i === 0 ? [quote] : i === 1 ? ['I rebuilt the controller in Rust'] : [],
      })),
      overall: { signal: 'lean hire', reasons: ['Precise on replication; little on operations.'] },
      questions: pack.questions.slice(0, 2).map((q) => ({
        questionId: q.id,
        strong: ['Clear structure.'],
        missingConcepts: q.strongAnswer.slice(0, 1).map((c) => c.label),
        storyMissing: [],
        outline: ['State the answer first', 'Walk through one failure'],
      })),
      tips: ['Name a metric you would alert on.'],
    };
    return JSON.stringify(output);
  }

  it('scores with a model, shows verified evidence that plays its moment, and withdraws the rest', async () => {
    server.setScript({ chatReplies: [scripted()] });
    await page.goto(`${app.url}#/sessions/${session.id}`);
    await page.locator('.waveform-canvas[data-drawn="true"]').waitFor({ timeout: 30_000 });
    // The offline scorecard was made when the session was first measured (or now).
    await page.getByRole('button', { name: 'Score with model' }).click();
    await page.locator('.signal').waitFor({ timeout: 30_000 });
    expect(await page.locator('.signal').textContent()).toBe('lean hire');

    const rows = page.locator('table.criteria tbody tr');
    await expect.poll(() => rows.count()).toBe(pack.rubric.length);
    expect(await rows.nth(0).locator('.score').first().textContent()).toBe('3 / 4');
    expect(await rows.nth(1).locator('.score').first().textContent()).toMatch(/Withdrawn/);
    expect(await rows.nth(2).locator('.score').first().textContent()).toBe('Not enough evidence');

    const evidence = rows.nth(0).locator('ul.evidence button');
    expect(await evidence.count()).toBe(1);
    const answer = session.record.turns.filter((t) => t.speaker === 'candidate')[2]!;
    await evidence.click();
    await page.waitForFunction(
      () => {
        const a = document.querySelector<HTMLAudioElement>('audio[data-replay-audio]');
        return a !== null && !a.paused;
      },
      null,
      { timeout: 15_000 },
    );
    const playedFrom = await page
      .locator('audio[data-replay-audio]')
      .evaluate((a: HTMLAudioElement) => a.currentTime);
    // Within the answer (with the lead-in), not at the start of the session.
    expect(playedFrom * 1000).toBeGreaterThan(answer.startMs - 2000);
    expect(playedFrom * 1000).toBeLessThan(answer.endMs);
    await page
      .getByRole('button', { name: /^Pause/ })
      .click()
      .catch(() => undefined);
    await screenshot(page, 'scorecard-model');
  });

  it('a scorer that fails twice shows the reason and a Score again button, never numbers', async () => {
    server.setScript({ chatReplies: ['{"criteria": 7}', 'still not json'] });
    await page.getByRole('button', { name: 'Score again' }).first().click();
    const alert = page.locator('.score-actions [role="alert"]');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(
      /nothing was saved.*did not return a valid scorecard/,
    );
    // The earlier scorecard is still the one shown.
    expect(await page.locator('.signal').textContent()).toBe('lean hire');

    server.setScript({ chatReplies: [scripted()] });
    await alert.getByRole('button', { name: 'Score again' }).click();
    await page.getByLabel('Model scorecard').waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Model scorecard').locator('option').count()).toBe(2);
  });

  it('a self-review with the descriptors in view is saved beside the model’s scores', async () => {
    await page.getByRole('button', { name: 'Review yourself' }).click();
    const form = page.getByRole('form', { name: 'Self-review' });
    const first = form.getByRole('group', { name: pack.rubric[0]!.name });
    await first
      .getByRole('radio', { name: new RegExp(`^2 ${escape(pack.rubric[0]!.descriptors[2])}`) })
      .check();
    const second = form.getByRole('group', { name: pack.rubric[1]!.name });
    await second.getByRole('radio', { name: new RegExp(`^1 `) }).check();
    await screenshot(page, 'scorecard-self-review');
    await form.getByRole('button', { name: 'Save self-review' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.locator('table.criteria tbody tr').first();
    await expect.poll(() => row.locator('td').nth(1).textContent()).toContain('2 / 4');
  });

  it('the progress screen plots each criterion and suggests the next round', async () => {
    await page.goto(`${app.url}#/progress`);
    await page.locator('svg.trend-plot').waitFor({ timeout: 15_000 });
    const title = await page.locator('svg.trend-plot title').textContent();
    expect(title).toContain(pack.rubric[0]!.name);
    // Model scores are filled dots, the self-review hollow ones where the model had none.
    expect(await page.locator('svg.trend-plot circle').count()).toBeGreaterThanOrEqual(2);
    const next = page.getByRole('region', { name: 'Practise next' });
    expect(await next.textContent()).toMatch(/weakest criterion/);
    await screenshot(page, 'progress');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
