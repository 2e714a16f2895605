import { sep } from 'node:path';
import { expect } from 'vitest';
import type { DesktopReport } from './desktopReport';

const WASM_MAGIC = '0061736d';
const RIFF = '52494646';

/**
 * What every start of the desktop app must show, however it was started (`npm start`,
 * the built bundle, the packaged app): a secure window on our page, the page and its
 * assets served, the API only for our main frame, only the microphone granted, a voice
 * from its utility process, the answer transcribed in another, and a recording served
 * with byte ranges.
 */
export function expectHealthyApp(report: DesktopReport, expected: { pageUrl: RegExp }): void {
  expect(report.privilegedSchemes).toEqual([
    {
      scheme: 'mockloop',
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
      beforeReady: true,
    },
  ]);

  expect(report.windows).toHaveLength(1);
  const [window] = report.windows;
  expect(window!.urls[0]).toMatch(expected.pageUrl);
  expect(window!.webPreferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
  });
  expect(String(window!.webPreferences.preload)).toMatch(/[/\\]\.vite[/\\]build[/\\]preload\.cjs$/);
  expect(window!.icon).toMatch(/[/\\]\.vite[/\\]build[/\\]icon\.png$/);

  // The page and everything the renderer fetches from its own origin.
  const failed = report.pages.filter((p) => p.status !== 200).map((p) => `${p.status} ${p.path}`);
  expect(failed).toEqual([]);
  const byPath = (suffix: string) => report.pages.find((p) => p.path.endsWith(suffix));
  expect(report.pages.length).toBeGreaterThan(10);
  expect(byPath('vad/silero_vad_v5.onnx')!.bytes).toBeGreaterThan(1_000_000);
  expect(byPath('vad/ort-wasm-simd-threaded.wasm')!.head).toMatch(new RegExp(`^${WASM_MAGIC}`));
  expect(byPath('pyodide/pyodide.asm.wasm')!.head).toMatch(new RegExp(`^${WASM_MAGIC}`));
  // The policy: sent by the app protocol with each page, and set on every main frame
  // (which is what covers Vite's dev server in development).
  expect(report.headerCsp).toContain("default-src 'self'");
  expect(report.headerCsp).toContain("object-src 'none'");
  if (window!.urls[0]!.startsWith('mockloop:')) {
    expect(report.pages[0]!.csp).toContain("default-src 'self'");
    expect(byPath('sandbox/runner.html')!.csp).toContain("default-src 'none'");
  }

  // The API: our page's main frame only.
  expect(report.ipc.appInfo).toMatchObject({ ok: true, value: { mode: 'electron' } });
  expect(report.ipc.roundsTrusted.ok).toBe(true);
  const rounds = report.ipc.roundsTrusted.value as { ids: string[]; problems: unknown[] };
  expect(rounds.problems).toEqual([]);
  expect(rounds.ids).toHaveLength(10);
  expect(report.ipc.untrustedOrigin).toEqual({ ok: false, errorCode: 'forbidden' });
  expect(report.ipc.childFrame).toEqual({ ok: false, errorCode: 'forbidden' });

  // Only the microphone, only for the app.
  expect(report.permissions).toEqual({
    'media audio, app': true,
    'media video, app': false,
    'media audio+video, app': false,
    'media audio, other origin': false,
    'notifications, app': false,
    'geolocation, app': false,
    'clipboard-read, app': false,
    'check media, app': true,
    'check media, other origin': false,
    'check notifications, app': false,
  });
  expect(report.navigation).toEqual({
    untrustedPrevented: true,
    trustedPrevented: false,
    windowOpen: 'deny',
  });

  // The offline voice answered from its utility process: at least half a second of audio.
  // Local speech recognition ran in a second one, started when the answer ended.
  expect(report.voice.forks.map((f) => f.serviceName).sort()).toEqual([
    'Mockloop speech recognition',
    'Mockloop voice',
  ]);
  const fork = (name: string) => report.voice.forks.find((f) => f.serviceName === name)!;
  expect(fork('Mockloop voice').modulePath).toMatch(/[/\\]\.vite[/\\]build[/\\]fliteHost\.cjs$/);
  expect(fork('Mockloop speech recognition').modulePath).toMatch(
    /[/\\]\.vite[/\\]build[/\\]whisperHost\.cjs$/,
  );
  expect(report.voice.notices.filter((n) => n.startsWith('error'))).toEqual([]);
  expect(report.voice.speechBytes).toBeGreaterThan(24_000);

  // A model file the user had was picked in the system's open dialog and taken in, the
  // candidate's answer was transcribed with it (the tiny test model's words are gibberish;
  // a transcript exists, null would mean none was made), and the session says so.
  expect(report.speech.modelImport).toEqual({
    engineAvailable: true,
    engineProblem: null,
    canChooseFile: true,
    inUse: 'imported-ggml-tiny-test',
    dialogs: ['Use a speech recognition model file'],
  });
  expect(report.speech.candidateTurns).toHaveLength(1);
  expect(typeof report.speech.candidateTurns[0]!.text).toBe('string');
  expect(report.speech.sessionStt).toEqual({ kind: 'local', model: 'imported-ggml-tiny-test' });

  // The round's recording, served by the app protocol with byte ranges.
  expect(report.recording.sessionId).toBeTruthy();
  expect(report.recording.audioUrl).toMatch(/^mockloop:\/\/app\/media\/sessions\//);
  expect(report.recording.range).toMatchObject({ status: 206, bytes: 1024 });
  expect(report.recording.range!.contentRange).toMatch(/^bytes 0-1023\/\d+$/);
  expect(report.recording.range!.head).toMatch(new RegExp(`^${RIFF}`));
  expect(report.recording.full).toMatchObject({ status: 200 });
  // A second of stereo 24 kHz s16 from the "microphone", at least.
  expect(report.recording.full!.bytes).toBeGreaterThanOrEqual(44 + 96_000);
}

/**
 * Every file the app opened at run time lies in one of `allowed` (folders, or files);
 * in particular nothing comes from node_modules, which a packaged app does not have.
 * The user-data folder is the app's to write and read, so it is left out.
 */
export function expectOnlyAppFilesLoaded(
  report: DesktopReport,
  options: { allowed: string[]; home?: string },
): void {
  const inside = (path: string, root: string) => path === root || path.startsWith(root + sep);
  const appFiles = report.loadedFiles.filter((path) => !isUserData(path));
  const stray = appFiles.filter((path) => !options.allowed.some((root) => inside(path, root)));
  expect(stray).toEqual([]);
  // The run really did load the voice and the round packs from the app's own files.
  const listed = appFiles.join('\n');
  expect(
    appFiles.some((p) => p.endsWith(`${sep}flite.wasm`)),
    listed,
  ).toBe(true);
  expect(
    appFiles.some((p) => p.endsWith('.yaml')),
    listed,
  ).toBe(true);
  // …and whisper.cpp's native library.
  expect(
    appFiles.some((p) => /node-whisper-[^/\\]+[/\\]index\.node$/.test(p)),
    listed,
  ).toBe(true);
}

/** The stand-in's home (userData, temp) is under a `mockloop-standin-*` folder. */
function isUserData(path: string): boolean {
  return /[/\\]mockloop-standin-[^/\\]+[/\\]home[/\\]/.test(path);
}
