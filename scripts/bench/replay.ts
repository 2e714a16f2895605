import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchChromium, requireChromium } from '../../tests/support/chromium';
import { makeLongSession } from '../../tests/support/replaySessions';
import { startWebApp } from '../../tests/support/webApp';
import type { Section } from './section';
import { makeTempFolder, removeTempFolder } from './tempFolders';
import { figure } from './stats';

const ROOT = join(import.meta.dirname, '..', '..');
const MINUTES = 60;

/**
 * Opening a 60-minute session in the replay, in browser mode with Debian's Chromium:
 *
 * - replay_open_ms: from the in-app navigation to the session (the mark set when the
 *   screen changes) to wavesurfer's first complete draw, measured in the page with
 *   performance marks. replay_open_cold_ms is the same from a fresh page load of the
 *   session's URL (navigation start), which includes loading the app itself.
 * - replay_mem_growth_mb: the page's memory after a forced GC (CDP Runtime.getHeapUsage:
 *   JS heap + ArrayBuffer backing stores + embedder heap) with the replay open, minus the
 *   same on the home screen just before.
 * - seek_start_ms: the replay's audio element paused, seeked to a random point of the hour
 *   and played; time to its `playing` event. seek_advancing_ms: until currentTime has
 *   moved past the target (polled every animation frame).
 */
export const replaySection: Section = async ({ runs, log }) => {
  requireChromium();
  const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
  const pack = packs.find((p) => p.id === 'eng-kafka-internals') ?? packs[0]!;
  const dataDir = makeTempFolder('mockloop-bench-');
  let browser: Browser | undefined;
  const app = await (async () => {
    log(`generating a ${MINUTES}-minute session (stereo WAV, session.json, peaks.json)…`);
    const started = Date.now();
    const session = await makeLongSession(dataDir, pack, MINUTES);
    log(
      `  ${session.record.turns.length} turns in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    log('starting browser mode…');
    return { session, web: await startWebApp(dataDir) };
  })();
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    // tsx keeps function names with a `__name` helper that page.evaluate does not carry.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = await context.newPage();
    const cdp = await page.context().newCDPSession(page);
    const id = app.session.id;
    const homeUrl = app.web.url;

    // A first, unmeasured open warms the server's caches and the browser's JIT.
    await page.goto(homeUrl);
    await page.locator('table.sessions').waitFor();
    await openInApp(page, id);
    await goHome(page);

    log(`opening the replay ${runs} times in the app…`);
    const openMs: number[] = [];
    const growthMb: number[] = [];
    for (let i = 0; i < runs; i++) {
      const before = await heapUsed(cdp);
      openMs.push(await openInApp(page, id));
      growthMb.push((await heapUsed(cdp)) - before);
      await goHome(page);
    }

    log(`seeking ${runs} times…`);
    await openInApp(page, id);
    const seekMs: number[] = [];
    const advancingMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const target = ((i * 0.61803398875) % 1) * (MINUTES * 60 - 10);
      const { playing, advancing } = await seekAndPlay(page, target);
      seekMs.push(playing);
      advancingMs.push(advancing);
    }

    log(`loading the session's URL in a fresh page ${runs} times…`);
    const coldMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const fresh = await context.newPage();
      await fresh.goto(`${homeUrl}#/sessions/${id}`);
      await fresh.locator('.waveform-canvas[data-drawn="true"]').waitFor({ timeout: 30_000 });
      coldMs.push(await replayOpenMeasure(fresh));
      await fresh.close();
    }

    return {
      figures: {
        replay_open_ms: figure(openMs, 'ms'),
        replay_open_cold_ms: figure(coldMs, 'ms'),
        replay_mem_growth_mb: figure(growthMb, 'MB', 2),
        seek_start_ms: figure(seekMs, 'ms'),
        seek_advancing_ms: figure(advancingMs, 'ms'),
      },
      notes:
        `A generated ${MINUTES}-minute session (${app.session.record.turns.length} turns, 345 MB WAV, peaks.json) ` +
        'in browser mode, headless Chromium. Open: in-app navigation to waveform drawn ' +
        '(performance marks in the page); cold: page load of the session URL. Memory: JS heap + ' +
        'ArrayBuffers + embedder heap after GC (CDP Runtime.getHeapUsage), replay open minus home. Seek: paused audio element seeked to ' +
        "a random point and played, to its 'playing' event; advancing: until currentTime passes the target.",
    };
  } finally {
    await browser?.close();
    await app.web.stop();
    removeTempFolder(dataDir);
  }
};

/**
 * The page's memory after a forced GC: the JS heap plus what lives outside it but belongs
 * to it — ArrayBuffer backing stores (the peaks) and the embedder's (DOM) heap.
 */
async function heapUsed(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as {
    usedSize: number;
    embedderHeapUsedSize?: number;
    backingStorageSize?: number;
  };
  const bytes =
    usage.usedSize + (usage.embedderHeapUsedSize ?? 0) + (usage.backingStorageSize ?? 0);
  return bytes / (1024 * 1024);
}

async function replayOpenMeasure(page: Page): Promise<number> {
  return page.evaluate(
    () => performance.getEntriesByName('mockloop:replay-open', 'measure').at(-1)?.duration ?? NaN,
  );
}

/** In-app navigation to the session, as a click in the session list does; its open time. */
async function openInApp(page: Page, id: string): Promise<number> {
  await page.evaluate(() => {
    performance.clearMarks();
    performance.clearMeasures();
  });
  await page.evaluate((sessionId) => {
    location.hash = `#/sessions/${sessionId}`;
  }, id);
  await page.locator('.waveform-canvas[data-drawn="true"]').waitFor({ timeout: 30_000 });
  return replayOpenMeasure(page);
}

async function goHome(page: Page): Promise<void> {
  await page.evaluate(() => {
    location.hash = '#/';
  });
  await page.locator('table.sessions').waitFor();
  await page.locator('.waveform-canvas').waitFor({ state: 'detached' });
}

async function seekAndPlay(
  page: Page,
  target: number,
): Promise<{ playing: number; advancing: number }> {
  return page.evaluate(async (seconds) => {
    const audio = document.querySelector<HTMLAudioElement>('audio[data-replay-audio]')!;
    audio.pause();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    let playing = NaN;
    const onPlaying = new Promise<void>((resolve) =>
      audio.addEventListener(
        'playing',
        () => {
          playing = performance.now() - t0;
          resolve();
        },
        { once: true },
      ),
    );
    audio.currentTime = seconds;
    await audio.play();
    await onPlaying;
    const advancing = await new Promise<number>((resolve) => {
      const check = () =>
        audio.currentTime > seconds + 0.01
          ? resolve(performance.now() - t0)
          : requestAnimationFrame(check);
      check();
    });
    audio.pause();
    return { playing, advancing };
  }, target);
}
