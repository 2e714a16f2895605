import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.MOCKLOOP_CHROMIUM ?? '/usr/bin/chromium';

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `End-to-end tests need Chromium at ${CHROMIUM} (apt-get install chromium, or set MOCKLOOP_CHROMIUM).`,
    );
  }
}

/**
 * Debian's Chromium with its microphone fed from a WAV file, in real time. Playwright
 * gives each launch a fresh temporary profile.
 */
export async function launchWithMicrophone(
  wavPath: string,
): Promise<{ browser: Browser; page: Page }> {
  requireChromium();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wavPath}%noloop`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  return { browser, page };
}
