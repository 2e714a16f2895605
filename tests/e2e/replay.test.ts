import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationsFileSchema } from '../../src/core/annotations';
import { peaksFileSchema } from '../../src/core/peaks';
import type { RoundPack } from '../../src/core/roundPack';
import { sessionSchema } from '../../src/core/session';
import { ATTEMPT_WRAP_UP } from '../../src/engine/answerAgainInterviewer';
import { pickFollowUp } from '../../src/providers/embedded/scriptedInterviewer';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchWithMicrophone } from '../support/chromium';
import { makeLongSession, makeShortSession, type MadeSession } from '../support/replaySessions';
import { screenshot } from '../support/roundScenario';
import { spokenSeconds } from '../support/embeddedVoiceDurations';
import { buildSpeechFixture } from '../support/speechFixture';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');

async function openReplay(page: Page, app: RunningWebApp, id: string): Promise<void> {
  await page.goto(`${app.url}#/sessions/${id}`);
  await page.locator('.waveform-canvas[data-drawn="true"]').waitFor({ timeout: 30_000 });
}

/** The replay's audio element, which wavesurfer drives. */
function audioTime(page: Page): Promise<number> {
  return page.locator('audio[data-replay-audio]').evaluate((a: HTMLAudioElement) => a.currentTime);
}

async function waitForAudioPast(page: Page, seconds: number): Promise<void> {
  await page.waitForFunction(
    (s) => {
      const a = document.querySelector<HTMLAudioElement>('audio[data-replay-audio]');
      return a !== null && !a.paused && a.currentTime > s;
    },
    seconds,
    { timeout: 30_000 },
  );
}

/**
 * The replay end to end in browser mode, on sessions made directly on disk: a short one
 * with real synthesised speech and a transcript (and no peaks.json yet), and a generated
 * 60-minute one with peaks saved as the recorder leaves them.
 */
describe('replaying a session in browser mode', () => {
  let app: RunningWebApp;
  let dataDir: string;
  let pack: RoundPack;
  let short: MadeSession;
  let long: MadeSession;

  beforeAll(async () => {
    const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
    pack = packs.find((p) => p.id === 'eng-kafka-internals')!;
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-replay-'));
    short = await makeShortSession(dataDir, pack);
    long = await makeLongSession(dataDir, pack, 60);
    app = await startWebApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
    // The hour-long recording is 345 MB.
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a recording with byte ranges, and only to the page', async () => {
    const url = new URL(app.url);
    const token = url.searchParams.get('token')!;
    const path = `/media/sessions/${short.id}/audio.wav`;
    const file = readFileSync(join(short.dir, 'audio.wav'));

    const partial = await fetch(`${url.origin}${path}?token=${token}`, {
      headers: { Range: 'bytes=1000-1999' },
    });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('accept-ranges')).toBe('bytes');
    expect(partial.headers.get('content-range')).toBe(`bytes 1000-1999/${file.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(file.subarray(1000, 2000))).toBe(true);

    const tail = await fetch(`${url.origin}${path}?token=${token}`, {
      headers: { Range: `bytes=${file.length - 10}-` },
    });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(file.length - 10))).toBe(
      true,
    );

    const beyond = await fetch(`${url.origin}${path}?token=${token}`, {
      headers: { Range: `bytes=${file.length}-` },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${file.length}`);

    expect((await fetch(`${url.origin}${path}`)).status).toBe(401);
    for (const bad of [
      `/media/sessions/${short.id}/session.json`,
      `/media/sessions/..%2F..%2F/audio.wav`,
      `/media/sessions/${short.id}/attempts/..%2F..%2F${long.id}/audio.wav`,
      `/media/sessions/${short.id}/attempts/0/audio.wav`,
    ]) {
      expect((await fetch(`${url.origin}${bad}?token=${token}`)).status).toBe(404);
    }
  });

  it('draws both voices and every turn, follows the transcript, and plays from any point', async () => {
    expect(existsSync(join(short.dir, 'peaks.json'))).toBe(false);
    const { browser, page } = await launchWithMicrophone(silentFixture());
    const media: { status: number; range: string | undefined }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/media/sessions/')) {
        media.push({ status: r.status(), range: r.request().headers()['range'] });
      }
    });
    try {
      await openReplay(page, app, short.id);
      const turns = short.record.turns;

      // Two lanes, one region per turn on its speaker's lane.
      const waveform = page.locator('.waveform-canvas');
      expect(await waveform.getAttribute('data-turn-regions')).toBe(String(turns.length));
      expect(await page.locator('.waveform-canvas [part~="region"]').count()).toBe(turns.length);
      const lanes = await waveform.evaluate(
        (el) => el.querySelector('div')?.shadowRoot?.querySelector('.canvases')?.children.length,
      );
      expect(lanes).toBe(2);

      // The peaks were computed on this first open and saved beside the recording.
      const peaks = peaksFileSchema.parse(
        JSON.parse(readFileSync(join(short.dir, 'peaks.json'), 'utf8')),
      );
      expect(peaks.frames).toBe((statSync(join(short.dir, 'audio.wav')).size - 44) / 4);

      // A sentence in the transcript moves the playhead to it.
      const answer = page.locator(`[data-turn-id="${turns[3]!.id}"] .sentence`).first();
      const sentenceStart = Number(await answer.getAttribute('data-start-ms'));
      await answer.click();
      await expect.poll(() => audioTime(page)).toBeCloseTo(sentenceStart / 1000, 1);
      await expect
        .poll(() =>
          page.getByRole('slider', { name: /Playback position/ }).getAttribute('aria-valuenow'),
        )
        .toBe(String(Math.round(sentenceStart / 1000)));

      // Keyboard: ] to the next turn, ← back five seconds.
      await page.locator('body').press(']');
      await expect.poll(() => audioTime(page)).toBeCloseTo(turns[4]!.startMs / 1000, 1);
      await page.locator('body').press('ArrowLeft');
      await expect.poll(() => audioTime(page)).toBeCloseTo(turns[4]!.startMs / 1000 - 5, 1);

      // Playback streams the WAV with range requests and highlights the turn being heard.
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      const from = await audioTime(page);
      await waitForAudioPast(page, from + 0.5);
      await expect.poll(() => page.locator('.replay-transcript .turn.current').count()).toBe(1);
      await screenshot(page, 'replay-short');
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      expect(media.length).toBeGreaterThan(0);
      expect(media.every((m) => m.range !== undefined)).toBe(true);
      expect(media.some((m) => m.status === 206)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('keeps a note dragged out on the waveform across a reload, and edits, filters and deletes notes', async () => {
    const { browser, page } = await launchWithMicrophone(silentFixture());
    try {
      await openReplay(page, app, short.id);
      const box = (await page.locator('.waveform-canvas').boundingBox())!;
      const y = box.y + 28;
      await page.mouse.move(box.x + box.width * 0.3, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.45, y, { steps: 12 });
      await page.mouse.up();

      const editor = page.getByRole('form', { name: 'New note' });
      await editor.getByLabel('Tag', { exact: true }).fill('rambling');
      await editor.getByLabel('Note').fill('Three restarts before the actual point.');
      await editor.getByRole('button', { name: 'Save note' }).click();
      await expect.poll(() => page.locator('.annotation').count()).toBe(1);

      const saved = annotationsFileSchema.parse(
        JSON.parse(readFileSync(join(short.dir, 'annotations.json'), 'utf8')),
      );
      expect(saved.annotations).toHaveLength(1);
      const note = saved.annotations[0]!;
      expect(note.tag).toBe('rambling');
      expect(note.note).toBe('Three restarts before the actual point.');
      const duration = short.record.durationMs;
      expect(note.startMs / duration).toBeCloseTo(0.3, 1);
      expect(note.endMs / duration).toBeCloseTo(0.45, 1);
      await screenshot(page, 'replay-annotation');

      await page.reload();
      await page.locator('.waveform-canvas[data-drawn="true"]').waitFor();
      await expect.poll(() => page.locator('.annotation').count()).toBe(1);
      await expect
        .poll(() => page.locator('.annotation').textContent())
        .toContain('Three restarts');
      await expect
        .poll(() => page.locator('.waveform-canvas').getAttribute('data-note-regions'))
        .toBe('1');

      // A note on selected transcript text.
      const sentence = page
        .locator(`[data-turn-id="${short.record.turns[1]!.id}"] .sentence`)
        .first();
      await sentence.selectText();
      await sentence.dispatchEvent('mouseup');
      const second = page.getByRole('form', { name: 'New note' });
      await expect
        .poll(() => second.locator('.note-quote').textContent())
        .toContain('directory of segment files');
      await second.getByRole('button', { name: 'strong example' }).click();
      await second.getByRole('button', { name: 'Save note' }).click();
      await expect.poll(() => page.locator('.annotation').count()).toBe(2);

      // Filter by tag, jump, edit, delete.
      await page.getByLabel('Filter notes by tag').selectOption('strong example');
      await expect.poll(() => page.locator('.annotation').count()).toBe(1);
      const turnStart = short.record.turns[1]!.startMs;
      await page.locator('.annotation .note-head button').click();
      await expect.poll(() => audioTime(page)).toBeCloseTo(turnStart / 1000, 1);
      await page.getByRole('button', { name: /^Edit note/ }).click();
      await page
        .getByRole('form', { name: 'Edit note' })
        .getByLabel('Note')
        .fill('Clear and concrete.');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect
        .poll(() => page.locator('.annotation').textContent())
        .toContain('Clear and concrete.');
      let onDisk = annotationsFileSchema.parse(
        JSON.parse(readFileSync(join(short.dir, 'annotations.json'), 'utf8')),
      ).annotations;
      expect(onDisk.find((a) => a.tag === 'strong example')).toMatchObject({
        note: 'Clear and concrete.',
        revision: 2,
      });
      await page.getByRole('button', { name: /^Delete note/ }).click();
      await page.getByRole('button', { name: /^Confirm deleting/ }).click();
      await page.getByLabel('Filter notes by tag').waitFor();
      await expect.poll(() => page.locator('.annotation').count()).toBe(1);
      onDisk = annotationsFileSchema.parse(
        JSON.parse(readFileSync(join(short.dir, 'annotations.json'), 'utf8')),
      ).annotations;
      expect(onDisk.map((a) => a.tag)).toEqual(['rambling']);
    } finally {
      await browser.close();
    }
  });

  it('opens a 60-minute session from its saved peaks and seeks anywhere in it', async () => {
    const { browser, page } = await launchWithMicrophone(silentFixture());
    try {
      const peaksBefore = statSync(join(long.dir, 'peaks.json')).mtimeMs;
      await openReplay(page, app, long.id);
      expect(statSync(join(long.dir, 'peaks.json')).mtimeMs).toBe(peaksBefore);
      const waveform = page.locator('.waveform-canvas');
      expect(await waveform.getAttribute('data-turn-regions')).toBe(
        String(long.record.turns.length),
      );
      await expect.poll(() => page.locator('.waveform-canvas [part="minimap"]').count()).toBe(1);
      await expect.poll(() => page.getByLabel('Playhead time').textContent()).toContain('/ 60:00');
      await screenshot(page, 'replay-long');

      // A click three quarters of the way along seeks there; playback starts from there.
      const box = (await waveform.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.75, box.y + 20);
      await expect.poll(() => audioTime(page)).toBeGreaterThan(0.74 * 3600);
      expect(await audioTime(page)).toBeLessThan(0.76 * 3600);
      const target = await audioTime(page);
      await page.locator('body').press('Space');
      await waitForAudioPast(page, target + 0.3);
      await page.locator('body').press('Space');

      // Zoom in around the playhead.
      await page.locator('body').press('+');
      await page.locator('body').press('+');
      await page.locator('body').press('+');
      await expect.poll(() => page.locator('.zoom-level').textContent()).toBe('10 px/s');
      await screenshot(page, 'replay-long-zoomed');
    } finally {
      await browser.close();
    }
  });

  it('answers a question again, stores the attempt beside the first answer and compares them', async () => {
    const question = pack.questions[0]!;
    const followUp = pickFollowUp(question, 5_000)!;
    const [askSeconds = 0, followUpSeconds = 0] = spokenSeconds(
      pack,
      `Let's take this one again. ${question.prompt}`,
      followUp.prompt,
    );
    const fixture = buildSpeechFixture([
      { silence: askSeconds + 6 },
      { say: 'Each partition is a directory of segment files with a sparse offset index.' },
      { silence: 1.2 + followUpSeconds + 6 },
      { say: 'A sparse index stays small enough to keep in memory.' },
      { silence: 40 },
    ]);
    const { browser, page } = await launchWithMicrophone(fixture.path);
    try {
      await openReplay(page, app, short.id);
      await page.getByRole('button', { name: `Answer again: ${question.topic}` }).click();
      await page.getByText('Attempt saved beside your first answer.').waitFor({ timeout: 180_000 });
      await screenshot(page, 'replay-answer-again');

      const attemptDir = join(short.dir, 'attempts', '1');
      const attempt = sessionSchema.parse(
        JSON.parse(readFileSync(join(attemptDir, 'session.json'), 'utf8')),
      );
      expect(attempt.status).toBe('complete');
      expect(attempt.attemptOf).toEqual({ sessionId: short.id, questionId: question.id });
      expect(attempt.turns.map((t) => t.speaker)).toEqual([
        'interviewer',
        'candidate',
        'interviewer',
        'candidate',
        'interviewer',
      ]);
      expect(attempt.turns[0]!.text).toContain(question.prompt);
      expect(attempt.turns[2]!.text).toBe(followUp.prompt);
      expect(attempt.turns[4]!.text).toBe(ATTEMPT_WRAP_UP);
      expect(statSync(join(attemptDir, 'audio.wav')).size).toBeGreaterThan(44 + 4 * 24_000 * 5);
      expect(existsSync(join(attemptDir, 'peaks.json'))).toBe(true);
      // The original session is untouched.
      const original = sessionSchema.parse(
        JSON.parse(readFileSync(join(short.dir, 'session.json'), 'utf8')),
      );
      expect(original.turns).toEqual(short.record.turns);

      await page.getByRole('button', { name: 'Compare with the first answer' }).click();
      await page.getByRole('region', { name: 'First answer' }).waitFor();
      const first = page.getByRole('region', { name: 'First answer' });
      const again = page.getByRole('region', { name: 'Attempt 1' });
      await expect
        .poll(() => first.locator('.coverage li').count())
        .toBe(question.strongAnswer.length);
      await first.locator('.coverage li.covered').first().waitFor();
      await expect.poll(() => again.textContent()).toContain('No transcript for this answer');
      await expect.poll(() => first.locator('.turn').count()).toBe(4);
      await expect.poll(() => again.locator('.turn').count()).toBe(5);
      await again.getByRole('button', { name: 'Play Attempt 1' }).click();
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll<HTMLAudioElement>('.compare audio')].some(
            (a) => !a.paused && a.currentTime > 0.3,
          ),
        undefined,
        { timeout: 30_000 },
      );
      await screenshot(page, 'replay-compare');

      await page.getByRole('button', { name: 'Back to the replay' }).click();
      await page.getByRole('button', { name: 'Compare attempt 1 with the first answer' }).waitFor();
    } finally {
      await browser.close();
    }
  });
});

let silent: string | undefined;
/** Browsers that only replay still get a (silent) microphone, like every e2e launch. */
function silentFixture(): string {
  silent ??= buildSpeechFixture([{ silence: 1 }]).path;
  return silent;
}
