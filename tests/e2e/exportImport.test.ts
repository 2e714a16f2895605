import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startWebApp, type RunningWebApp } from '../support/webApp';
import { SESSION_ID, writeDocumentedSession } from '../unit/export/exportFixture';

/**
 * The Export menu and Import session, clicked in browser mode as a user would: downloads
 * go through the page (token and all), and a bundle exported from one data folder is
 * uploaded into another.
 */
let root: string;
let source: RunningWebApp;
let target: RunningWebApp;
let browser: Browser;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mockloop-e2e-export-'));
  await writeDocumentedSession(join(root, 'a'));
  [source, target] = await Promise.all([
    startWebApp(join(root, 'a')),
    startWebApp(join(root, 'b')),
  ]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([source?.stop(), target?.stop()]);
  await rm(root, { recursive: true, force: true });
});

async function exportAs(page: Page, label: string): Promise<Buffer> {
  await page.getByText('Export', { exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: new RegExp(`^${label}`) }).click();
  const file = await (await download).path();
  await page.getByText(`${label} downloaded as`).waitFor();
  return readFile(file);
}

describe('browser mode: export and import from the UI', () => {
  it('downloads Markdown, PDF, JSON and a bundle; the bundle imports elsewhere once', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${source.url}#/sessions/${SESSION_ID}`);
    await page.getByRole('heading', { name: 'Kafka internals' }).waitFor();

    expect((await exportAs(page, 'Markdown')).toString()).toContain('**Technical depth — 3/4**');
    expect((await exportAs(page, 'PDF')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(JSON.parse((await exportAs(page, 'JSON')).toString())).toMatchObject({
      format: 'mockloop-session-export',
      latestScorecards: { model: 4, offline: 2, self: 3 },
    });
    const bundle = await exportAs(page, 'Session bundle');
    const bundlePath = join(root, 'from-ui.mockloop.tar');
    await (await import('node:fs/promises')).writeFile(bundlePath, bundle);

    const other = await browser.newPage();
    await other.goto(target.url);
    const importOnce = async () => {
      const chooser = other.waitForEvent('filechooser');
      await other.getByRole('button', { name: 'Import session' }).click();
      await (await chooser).setFiles(bundlePath);
    };
    await importOnce();
    await other.getByText('Imported “Kafka internals”.').waitFor();
    await other
      .getByRole('table', { name: 'Past sessions' })
      .getByText('Kafka internals')
      .waitFor();
    const copied = await readFile(join(root, 'b', 'sessions', SESSION_ID, 'audio.wav'));
    const original = await readFile(join(root, 'a', 'sessions', SESSION_ID, 'audio.wav'));
    expect(copied.equals(original)).toBe(true);

    await importOnce();
    await other
      .getByRole('alert')
      .getByText(/already in this data folder/)
      .waitFor();
    expect(await readdir(join(root, 'b', 'sessions'))).toEqual([SESSION_ID]);
    await page.close();
    await other.close();
  });
});
