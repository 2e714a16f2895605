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
 * Headless Debian Chromium that stays off the network (this machine has none) and plays
 * audio without a click. Playwright gives each launch a fresh temporary profile.
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  requireChromium();
  return chromium.launch({
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
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

/** Chromium with its microphone fed from a WAV file, in real time. */
export async function launchWithMicrophone(
  wavPath: string,
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wavPath}%noloop`,
  ]);
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  return { browser, page };
}
