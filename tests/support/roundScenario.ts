import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { sessionSchema, type SessionRecord } from '../../src/core/session';
import { readWav } from './wavFile';

export const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Turns as the live screen shows them: speaker and text of each list item. */
export async function shownTurns(page: Page): Promise<{ who: string; text: string }[]> {
  return page.locator('ol.transcript > li:not(.live)').evaluateAll((items) =>
    items.map((li) => ({
      who: li.classList.contains('turn-interviewer') ? 'interviewer' : 'candidate',
      text: li.querySelector('.turn-text')?.textContent ?? '',
    })),
  );
}

export async function waitForTurns(page: Page, count: number, timeoutMs: number): Promise<void> {
  try {
    await page.waitForFunction(
      (n) => document.querySelectorAll('ol.transcript > li:not(.live)').length >= n,
      count,
      { timeout: timeoutMs },
    );
  } catch (error) {
    // Leave evidence: what the screen showed when the wait ran out.
    await screenshot(page, `timeout-${count}-turns`).catch(() => undefined);
    const shown = await shownTurns(page).catch(() => []);
    throw new Error(
      `Waited for ${count} turns; the screen shows ${shown.length}: ${JSON.stringify(shown.map((t) => `${t.who}: ${t.text.slice(0, 40)}`))}`,
      { cause: error },
    );
  }
}

export function onlySession(dataDir: string): { dir: string; session: SessionRecord } {
  const sessionsDir = join(dataDir, 'sessions');
  const ids = readdirSync(sessionsDir);
  expect(ids).toHaveLength(1);
  const dir = join(sessionsDir, ids[0]!);
  const session = sessionSchema.parse(JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')));
  return { dir, session };
}

/** RMS of one channel of a stereo s16 WAV between two times (seconds). */
export async function channelRms(
  wavPath: string,
  channel: 0 | 1,
  from: number,
  to: number,
): Promise<number> {
  const wav = await readWav(wavPath);
  const view = new DataView(wav.data.buffer, wav.data.byteOffset, wav.data.byteLength);
  const frames = Math.floor(wav.data.byteLength / 4);
  const a = Math.max(0, Math.floor(from * wav.sampleRate));
  const b = Math.min(frames, Math.floor(to * wav.sampleRate));
  let sum = 0;
  for (let i = a; i < b; i++) {
    const s = view.getInt16(i * 4 + channel * 2, true) / 32768;
    sum += s * s;
  }
  return b > a ? Math.sqrt(sum / (b - a)) : 0;
}
