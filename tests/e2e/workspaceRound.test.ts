import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceFileSchema } from '../../src/core/workspace';

import { launchWithMicrophone } from '../support/chromium';
import { fakeSpeechSampleCount } from '../support/fakeOpenAIAudio';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fakeOpenAIServer';
import { onlySession, screenshot, waitForTurns } from '../support/roundScenario';
import { buildSpeechFixture } from '../support/speechFixture';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');
const seconds = (text: string) => fakeSpeechSampleCount(text) / 24_000;

const CODING_OPENING = "Hi, I'm Tomasz. Here's the first problem: find where to start reading.";
const CODING_REPLY = 'Your examples pass. What is the complexity of that search?';
const CODING_ANSWER = 'I binary search the segments and then the index of that segment.';

const DESIGN_OPENING = "Hi, I'm Callum. Design a replicated commit log for me.";
const DESIGN_REPLY = 'Where does the consumer commit its offset in that picture?';
const DESIGN_ANSWER = 'Producers write to the broker and consumers read from it.';

/** A real solution to the first coding question, in TypeScript. */
const SOLUTION = `function floor(xs: number[], target: number, key: (x: any) => number): number {
  let lo = 0, hi = xs.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(xs[mid]) <= target) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found;
}

function findReadPosition(bases: number[], indexes: [number, number][][], target: number): [number, number] | null {
  const segment = floor(bases, target, (b) => b);
  if (segment < 0) return null;
  const entry = floor(indexes[segment], target, (e) => e[0]);
  console.log('segment', segment);
  return [segment, entry < 0 ? 0 : indexes[segment][entry][1]];
}
`;

/** What a candidate program might try to escape with; every line must say "refused". */
function hostileProgram(canary: string): string {
  return `const report = [];
async function attempt(name, fn) {
  try {
    const value = await fn();
    report.push(name + ': ALLOWED ' + String(value).slice(0, 40));
  } catch (e) {
    report.push(name + ': refused');
  }
}
const url = ${JSON.stringify(canary)};
function fromPrototypes(name) {
  for (let o = self; o; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d && d.value) return d.value;
  }
  throw new Error('gone');
}
await attempt('fetch', () => fetch(url));
await attempt('fetch from a prototype', () => fromPrototypes('fetch').call(self, url));
await attempt('XMLHttpRequest', () => { const x = new XMLHttpRequest(); x.open('GET', url, false); x.send(); return x.status; });
await attempt('WebSocket', () => new WebSocket(url.replace('http', 'ws')));
await attempt('EventSource', () => new EventSource(url));
await attempt('importScripts', () => importScripts(url));
await attempt('dynamic import', () => import(url));
await attempt('eval', () => eval('1 + 1'));
await attempt('Function', () => new Function('return fetch')());
await attempt('nested Worker', () => new Worker(url));
await attempt('indexedDB', () => indexedDB.open('x'));
await attempt('caches', () => caches.open('x'));
await attempt('WebAssembly', () => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));
await attempt('process', () => process.env.HOME);
await attempt('require fs', () => require('fs').readFileSync('/etc/passwd', 'utf8'));
await attempt('postMessage', () => postMessage({ outcome: 'ok', cases: [] }));
console.log(report.join('\\n'));
`;
}

const INFINITE_LOOP = 'let n = 0;\nwhile (true) { n++; }\n';

const PYTHON_SOLUTION = `from bisect import bisect_right

def findReadPosition(bases, indexes, target):
    segment = bisect_right(bases, target) - 1
    if segment < 0:
        return None
    offsets = [offset for offset, _ in indexes[segment]]
    entry = bisect_right(offsets, target) - 1
    print('segment', segment)
    return (segment, indexes[segment][entry][1] if entry >= 0 else 0)
`;

/** Python's ways out: the JS bridge, HTTP helpers, sockets, host files, processes, eval. */
function pythonHostileProgram(canary: string): string {
  return `report = []
URL = ${JSON.stringify(canary)}

def attempt(name, fn):
    try:
        value = fn()
        report.append(name + ': ALLOWED ' + str(value)[:40])
    except BaseException:
        report.append(name + ': refused')

def js_fetch():
    import js
    return js.fetch(URL)

def open_url():
    from pyodide.http import open_url
    return open_url(URL).read()

def urllib_open():
    import urllib.request
    return urllib.request.urlopen(URL).read()

def socket_connect():
    import socket
    return socket.create_connection(('127.0.0.1', int(URL.split(':')[2].split('/')[0])))

def host_file():
    return open(${JSON.stringify(join(ROOT, 'package.json'))}).read()

def subprocess_run():
    import subprocess
    return subprocess.run(['ls'])

def js_function():
    import pyodide_js
    return pyodide_js.runPython.constructor('return fetch')()

attempt('js.fetch', js_fetch)
attempt('open_url', open_url)
attempt('urllib', urllib_open)
attempt('socket', socket_connect)
attempt('host file', host_file)
attempt('subprocess', subprocess_run)
attempt('Function via pyodide_js', js_function)
print('\\n'.join(report))
`;
}

/** Draws two labelled boxes and an arrow between them on the live whiteboard, by mouse. */
async function drawBrokerToConsumer(page: Page): Promise<void> {
  const board = page.getByRole('region', { name: 'Whiteboard canvas' });
  await board.locator('canvas').first().waitFor({ timeout: 30_000 });
  const box = (await board.boundingBox())!;
  const at = (x: number, y: number) => ({ x: box.x + x, y: box.y + y });
  const drag = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
  };
  const rectangle = async (x: number, y: number, label: string) => {
    await board
      .getByTitle(/Rectangle/)
      .first()
      .click();
    await drag(at(x, y), at(x + 160, y + 80));
    // Enter on a selected shape edits its label (text bound to the shape).
    await page.keyboard.press('Enter');
    await page.keyboard.insertText(label);
    await page.keyboard.press('Escape');
  };
  // Right of the style panel that opens at the left edge when a tool is picked.
  await rectangle(320, 200, 'Broker');
  await rectangle(720, 200, 'Consumer');
  await board.getByTitle(/Arrow/).first().click();
  await drag(at(400, 240), at(800, 240));
  await page.keyboard.press('Escape');
}

/** Presses Run and waits for the run to finish; returns what the result panel says. */
async function runAndRead(page: Page): Promise<string> {
  const result = page.locator('.code-pad .run-result');
  const before = Number(await result.getAttribute('data-run'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page
    .locator(`.code-pad .run-result[data-run="${before + 1}"]`)
    .waitFor({ timeout: 90_000 });
  return (await result.textContent()) ?? '';
}

/**
 * The page's requests, and any the Content-Security-Policy refused (those never become
 * requests): everything must stay on the app's own origin.
 */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('console', (m) => {
    if (/Content Security Policy/.test(m.text())) urls.push(`refused by CSP: ${m.text()}`);
  });
  return urls;
}

async function typeInto(page: Page, editorLabel: string, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: editorLabel });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // One input event, like a paste: no auto-indent or bracket closing of typed keys.
  await page.keyboard.insertText(text);
}

describe('rounds with a code pad and a whiteboard', () => {
  let server: FakeOpenAIServer;
  let app: RunningWebApp;
  let dataDir: string;
  let canary: Server;
  let canaryHits = 0;
  let canaryUrl = '';

  beforeAll(async () => {
    server = await startFakeOpenAIServer({ apiKey: 'sk-test-key', firstByteDelayMs: [10, 30] });
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-workspace-'));
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1 }));
    app = await startWebApp(dataDir, {
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: server.url,
    });
    // Candidate code that reached the network would land here.
    canary = createServer((_req, res) => {
      canaryHits++;
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.end('reached');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}/x.js`;
  });

  afterAll(async () => {
    await app?.stop();
    await server?.close();
    await new Promise((resolve) => canary?.close(resolve));
  });

  it('coding: the interviewer sees the code and its run; candidate code cannot escape; the replay shows it', async () => {
    server.setScript({
      chatReplies: [CODING_OPENING, CODING_REPLY],
      transcriptions: [CODING_ANSWER],
    });
    const fixture = buildSpeechFixture([
      { silence: seconds(CODING_OPENING) + 14 },
      { say: CODING_ANSWER },
      { silence: 60 },
    ]);
    const { browser, page } = await launchWithMicrophone(fixture.path);
    await page.setViewportSize({ width: 1400, height: 1000 });
    const requests = recordRequests(page);
    try {
      await page.goto(app.url);
      await page.getByText('Coding', { exact: true }).first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForTurns(page, 1, 60_000);

      await page.getByLabel('Language').selectOption('typescript');
      // Seconds apart, so the replay has a button for each state (one per shown second).
      await page.waitForTimeout(1500);
      await typeInto(page, 'Code pad', SOLUTION);
      expect(await runAndRead(page)).toContain('4 of 4 examples passed');
      await screenshot(page, 'workspace-coding');

      // The answer, then the interviewer's reply: its request carries the pad.
      await waitForTurns(page, 3, 60_000);
      const chats = server.requestsTo('chat');
      const messages = JSON.stringify(chats[chats.length - 1]?.json?.messages);
      expect(messages).toContain('<candidate_code language=\\"typescript\\">');
      expect(messages).toContain('function findReadPosition(bases: number[]');
      expect(messages).toMatch(/<code_changes since=\\"your last turn\\" added_lines=\\"\d+\\"/);
      expect(messages).toContain('Inside the second segment: passed (returned [1,5000])');
      expect(messages).toContain('printed output:\\nsegment 1');
      // The opening was asked before anything was typed: that request has an empty pad.
      expect(JSON.stringify(chats[0]?.json?.messages)).toContain('[the pad is empty]');

      // A hostile program: every way out is refused, and nothing reached the canary.
      await page.getByLabel('Language').selectOption('javascript');
      await typeInto(page, 'Code pad', hostileProgram(canaryUrl));
      await runAndRead(page);
      const lines = (await page.locator('.code-pad .run-output').textContent())!.trim().split('\n');
      expect(lines).toHaveLength(16);
      for (const line of lines) expect(line).toMatch(/: refused$/);
      expect(canaryHits).toBe(0);
      await page.waitForTimeout(1500);

      // A runaway loop is stopped at the time limit and the pad stays usable.
      await typeInto(page, 'Code pad', INFINITE_LOOP);
      const started = Date.now();
      expect(await runAndRead(page)).toContain('Stopped: time limit');
      expect(Date.now() - started).toBeLessThan(12_000);
      await page.waitForTimeout(1500);

      // Python, through Pyodide from the app itself: the examples, a hostile program, a
      // runaway loop.
      await page.getByLabel('Language').selectOption('python');
      await typeInto(page, 'Code pad', PYTHON_SOLUTION);
      expect(await runAndRead(page)).toContain('4 of 4 examples passed');
      await screenshot(page, 'workspace-coding-python');
      await typeInto(page, 'Code pad', pythonHostileProgram(canaryUrl));
      await runAndRead(page);
      const pyLines = (await page.locator('.code-pad .run-output').textContent())!
        .trim()
        .split('\n');
      expect(pyLines).toHaveLength(7);
      for (const line of pyLines) expect(line).toMatch(/: refused$/);
      expect(canaryHits).toBe(0);
      await page.waitForTimeout(1500);
      await typeInto(page, 'Code pad', 'while True:\n    pass\n');
      expect(await runAndRead(page)).toContain('Stopped: time limit');

      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Review session' }).click();

      // The replay: the pad as it was at each saved change.
      const replay = page.getByRole('region', { name: 'Code pad' });
      await replay.waitFor({ timeout: 20_000 });
      const { dir, session } = onlySession(dataDir);
      const saved = workspaceFileSchema.parse(
        JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8')),
      );
      const solved = saved.code.find((s) => s.code.includes('findReadPosition'))!;
      const answer = session.turns.find((t) => t.speaker === 'candidate')!;
      const opening = session.turns[0]!;
      // Typed while the candidate was silent after the opening, before answering aloud.
      expect(solved.atMs).toBeGreaterThan(opening.startMs);
      expect(solved.atMs).toBeLessThan(answer.startMs);
      expect(saved.runs[0]).toMatchObject({ language: 'typescript', outcome: 'ok' });
      expect(saved.runs.some((r) => r.outcome === 'timeout')).toBe(true);

      const jump = (ms: number) =>
        replay
          .getByRole('button', { name: new RegExp(`at ${clockOf(ms)}$`) })
          .first()
          .click();
      const shown = () => replay.locator('.cm-content').textContent();
      await jump(solved.atMs);
      await expect.poll(shown, { timeout: 10_000 }).toContain('function findReadPosition');
      // The run's result appears once the playhead passes the run.
      await jump(saved.runs[0]!.atMs);
      await expect.poll(() => replay.getByText('4 of 4 examples passed').count()).toBe(1);
      await screenshot(page, 'workspace-coding-replay');
      // Each run is shown with the code it ran, even when typing followed within seconds.
      const hostile = saved.runs[1]!;
      await jump(hostile.atMs);
      await expect.poll(shown, { timeout: 10_000 }).toContain('fromPrototypes');
      const loop = saved.runs[2]!;
      await jump(loop.atMs);
      await expect.poll(shown, { timeout: 10_000 }).toContain('while (true)');
      await expect.poll(() => replay.getByText('Stopped: time limit').count()).toBe(1);
    } finally {
      await browser.close();
    }
    const foreign = requests.filter(
      (u) => !u.startsWith(new URL(app.url).origin) && !/^(blob|data):/.test(u),
    );
    expect([...new Set(foreign)].slice(0, 5)).toEqual([]);
  });

  it('design: a drawn diagram reaches the interviewer as text and the replay redraws it', async () => {
    server.setScript({
      chatReplies: [DESIGN_OPENING, DESIGN_REPLY],
      transcriptions: [DESIGN_ANSWER],
    });
    const fixture = buildSpeechFixture([
      { silence: seconds(DESIGN_OPENING) + 16 },
      { say: DESIGN_ANSWER },
      { silence: 60 },
    ]);
    const { browser, page } = await launchWithMicrophone(fixture.path);
    await page.setViewportSize({ width: 1400, height: 1100 });
    const requests = recordRequests(page);
    const chatsBefore = server.requestsTo('chat').length;
    try {
      await page.goto(app.url);
      await page.getByText('System design', { exact: true }).first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForTurns(page, 1, 60_000);

      await drawBrokerToConsumer(page);
      await screenshot(page, 'workspace-design');

      await waitForTurns(page, 3, 60_000);
      const chats = server.requestsTo('chat').slice(chatsBefore);
      const messages = JSON.stringify(chats[chats.length - 1]?.json?.messages);
      expect(messages).toContain('<candidate_diagram>');
      expect(messages).toContain('- \\"Broker\\" (rectangle)');
      expect(messages).toContain('- \\"Broker\\" → \\"Consumer\\"');

      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Review session' }).click();
      const replay = page.getByRole('region', { name: 'Whiteboard' });
      await replay.waitFor({ timeout: 20_000 }).catch(async (error: unknown) => {
        await screenshot(page, 'timeout-workspace-design-replay');
        throw error;
      });
      await replay
        .getByRole('button', { name: /Show the whiteboard at/ })
        .last()
        .click();
      await expect
        .poll(() => replay.getByRole('img').getAttribute('aria-label'), { timeout: 10_000 })
        .toMatch(/Broker.*Consumer/);
      await screenshot(page, 'workspace-design-replay');
    } finally {
      await browser.close();
    }
    const foreign = requests.filter(
      (u) => !u.startsWith(new URL(app.url).origin) && !/^(blob|data):/.test(u),
    );
    expect([...new Set(foreign)].slice(0, 5)).toEqual([]);
  });

  it('a design round cut off mid-way resumes with its board', async () => {
    server.setScript({ chatReplies: [DESIGN_OPENING, DESIGN_REPLY, DESIGN_REPLY] });
    const fixture = buildSpeechFixture([{ silence: 90 }]);
    const before = new Set(sessionIds(dataDir));
    let { browser, page } = await launchWithMicrophone(fixture.path);
    await page.setViewportSize({ width: 1400, height: 1100 });
    try {
      await page.goto(app.url);
      await page.getByText('System design', { exact: true }).first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForTurns(page, 1, 60_000);
      await drawBrokerToConsumer(page);
      // Past the backend's two-second save, then the window goes away mid-round.
      await page.waitForTimeout(3500);
    } finally {
      await browser.close();
    }
    const cutOff = sessionIds(dataDir).find((id) => !before.has(id))!;
    ({ browser, page } = await launchWithMicrophone(fixture.path));
    await page.setViewportSize({ width: 1400, height: 1100 });
    try {
      await page.goto(`${app.url}#/sessions/${cutOff}`);
      await page.getByRole('button', { name: 'Resume round' }).click({ timeout: 30_000 });
      await page
        .getByRole('region', { name: 'Whiteboard canvas' })
        .locator('canvas')
        .first()
        .waitFor({ timeout: 30_000 });
      await page.waitForTimeout(2500);
      await screenshot(page, 'workspace-design-resumed');
      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
    } finally {
      await browser.close();
    }
    const continuation = sessionIds(dataDir).find((id) => !before.has(id) && id !== cutOff)!;
    const saved = workspaceFileSchema.parse(
      JSON.parse(readFileSync(join(dataDir, 'sessions', continuation, 'workspace.json'), 'utf8')),
    );
    const labels = (i: number) =>
      saved.diagram[i]!.elements.flatMap((e) => (e.text ? [e.text] : [])).sort();
    // Picked up at 0 from the interrupted session, and the board the page rebuilt matches.
    expect(saved.diagram[0]?.atMs).toBe(0);
    expect(labels(0)).toEqual(['Broker', 'Consumer']);
    expect(labels(saved.diagram.length - 1)).toEqual(['Broker', 'Consumer']);
    expect(saved.diagram[saved.diagram.length - 1]!.elements.map((e) => e.type).sort()).toEqual([
      'arrow',
      'rectangle',
      'rectangle',
      'text',
      'text',
    ]);
  });
});

function sessionIds(dataDir: string): string[] {
  return readdirSync(join(dataDir, 'sessions'));
}

/** m:ss, as the replay labels its jump buttons (renderer/format.ts `clock`). */
function clockOf(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
