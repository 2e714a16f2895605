import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeTinyWhisperModel } from '../tinyWhisperModel';
import type { DesktopReport, FetchSeen, IpcSeen } from './desktopReport';
import type { createElectronStandIn, IpcEvent, StandInWebContents } from './electronStandIn';

/**
 * Runs inside the stand-in Electron, after the app's main bundle has started: plays
 * Chromium's part (loads the page and what it fetches, calls the API over IPC, asks for
 * permissions, navigates) and runs one offline round, whose voice comes from the real
 * utility-process host. Only observes: the tests judge the report.
 */

type StandIn = ReturnType<typeof createElectronStandIn>;
const OTHER_ORIGIN = 'https://evil.example';
const CALL = 'mockloop:call';
const EVENTS = 'mockloop:event';

/** What the renderer fetches at run time besides the page's own scripts (see renderer/). */
const RUNTIME_ASSETS = [
  'sandbox/runner.html',
  'vad/silero_vad_v5.onnx',
  'vad/ort-wasm-simd-threaded.wasm',
  'vad/ort-wasm-simd-threaded.mjs',
  'pyodide/pyodide.asm.wasm',
  'pyodide/pyodide.asm.mjs',
  'pyodide/python_stdlib.zip',
  'pyodide/pyodide-lock.json',
];

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function seen(path: string, response: Response): Promise<FetchSeen & { text: string }> {
  const body = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type');
  return {
    path,
    status: response.status,
    contentType: type,
    csp: response.headers.get('content-security-policy'),
    bytes: body.length,
    head: body.subarray(0, 8).toString('hex'),
    contentRange: response.headers.get('content-range'),
    text: type && /text|javascript|json|html/.test(type) ? body.toString('utf8') : '',
  };
}

function strip({ text: _text, ...rest }: FetchSeen & { text: string }): FetchSeen {
  return rest;
}

export async function runDriver(
  standIn: StandIn,
  base: Pick<DesktopReport, 'mode' | 'appPath' | 'resourcesPath' | 'mainScript' | 'packageMain'>,
): Promise<Omit<DesktopReport, 'loadedFiles'>> {
  const { record } = standIn;
  await waitFor('the window to load a page', () => Boolean(record.windows[0]?.urls[0]), 30_000);
  const window = record.windows[0]!;
  const pageUrl = window.urls[0]!;
  const page = new URL(pageUrl);
  const pageOrigin = `${page.protocol}//${page.host}`;

  // As Chromium would: http(s) over the network (Vite's dev server in development), our
  // scheme through the handler the app registered.
  const fetchPage = async (path: string, headers: Record<string, string> = {}) => {
    const url = new URL(path, pageUrl);
    if (url.protocol === 'http:') return seen(url.pathname, await fetch(url, { headers }));
    const handler = record.protocolHandlers.get(url.protocol.replace(':', ''));
    if (!handler) throw new Error(`no protocol handler for ${url.protocol}`);
    return seen(url.pathname, await handler(new Request(url, { headers })));
  };

  // The page, what it loads, and what the renderer fetches later.
  const pages: FetchSeen[] = [];
  const index = await fetchPage(pageUrl);
  pages.push(strip(index));
  const referenced = [...index.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  const scripts: string[] = [];
  for (const ref of referenced) {
    const asset = await fetchPage(ref);
    pages.push(strip(asset));
    scripts.push(asset.text);
  }
  const fonts = new Set(
    scripts.flatMap((text) =>
      [...text.matchAll(/[A-Za-z]+\/[A-Za-z0-9_-]+\.woff2/g)]
        .map((m) => m[0])
        .filter((name) => !name.startsWith('Xiaolai/')),
    ),
  );
  for (const asset of [...RUNTIME_ASSETS, ...[...fonts].map((f) => `excalidraw/fonts/${f}`)]) {
    pages.push(strip(await fetchPage(asset)));
  }

  const headerCsp = await new Promise<string | null>((resolve) => {
    const handler = record.headersReceived as unknown as (
      details: unknown,
      callback: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    handler({ url: pageUrl, resourceType: 'mainFrame', responseHeaders: {} }, (r) =>
      resolve(r.responseHeaders['Content-Security-Policy']?.[0] ?? null),
    );
  });

  // The API over IPC, from our page's main frame and from frames that may not call it.
  const call = record.ipcHandlers.get(CALL);
  if (!call) throw new Error(`no IPC handler for ${CALL}`);
  const contents = window.webContents;
  const from = (url: string, parent: unknown = null): IpcEvent => ({
    senderFrame: { url, parent },
    sender: contents,
  });
  const invoke = async (event: IpcEvent, method: string, payload: unknown = {}) =>
    (await call(event, method, payload)) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string };
    };
  const summarize = (r: Awaited<ReturnType<typeof invoke>>, value?: unknown): IpcSeen => ({
    ok: r.ok,
    ...(r.error ? { errorCode: r.error.code } : {}),
    ...(r.ok ? { value: value ?? r.value } : {}),
  });
  const trusted = from(pageUrl);
  const rounds = await invoke(trusted, 'rounds.list');
  const roundList = (rounds.value ?? { rounds: [], problems: [] }) as {
    rounds: { id: string; loopId: string }[];
    problems: unknown[];
  };
  const ipc = {
    appInfo: summarize(await invoke(trusted, 'app.info')),
    roundsTrusted: summarize(rounds, {
      ids: roundList.rounds.map((r) => r.id),
      problems: roundList.problems,
    }),
    untrustedOrigin: summarize(await invoke(from(`${OTHER_ORIGIN}/`), 'rounds.list')),
    childFrame: summarize(await invoke(from(pageUrl, { url: pageUrl }), 'rounds.list')),
  };

  const permissions = askPermissions(standIn, contents, pageUrl, pageOrigin);
  const navigation = navigate(contents, pageUrl);
  const { voice, recording, speech } = await offlineRound(
    invoke,
    record,
    trusted,
    contents,
    roundList.rounds[0]?.id,
    fetchPage,
  );
  voice.forks = record.forks.map((f) => ({ modulePath: f.modulePath, serviceName: f.serviceName }));

  // Quitting stops the voice's and the speech recognition's processes.
  standIn.app.quit();
  await waitFor(
    'the utility processes to exit after quit',
    () => record.forks.every((f) => f.child.exitCode !== null || f.child.signalCode !== null),
    10_000,
  );

  return {
    ...base,
    privilegedSchemes: record.privilegedSchemes,
    windows: record.windows.map((w) => ({
      webPreferences: w.options.webPreferences ?? {},
      icon: w.options.icon ?? null,
      urls: w.urls,
    })),
    pages,
    headerCsp,
    ipc,
    permissions,
    navigation,
    voice,
    recording,
    speech,
  };
}

function askPermissions(
  standIn: StandIn,
  contents: StandInWebContents,
  pageUrl: string,
  pageOrigin: string,
): Record<string, boolean> {
  const request = standIn.record.permissionRequest as unknown as (
    contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details: { requestingUrl: string; mediaTypes?: string[] },
  ) => void;
  const check = standIn.record.permissionCheck as unknown as (
    contents: unknown,
    permission: string,
    origin: string,
  ) => boolean;
  const ask = (permission: string, requestingUrl: string, mediaTypes?: string[]) => {
    let granted: boolean | undefined;
    request(contents, permission, (g) => (granted = g), {
      requestingUrl,
      ...(mediaTypes ? { mediaTypes } : {}),
    });
    if (granted === undefined) throw new Error(`no answer to a ${permission} request`);
    return granted;
  };
  return {
    'media audio, app': ask('media', pageUrl, ['audio']),
    'media video, app': ask('media', pageUrl, ['video']),
    'media audio+video, app': ask('media', pageUrl, ['audio', 'video']),
    'media audio, other origin': ask('media', `${OTHER_ORIGIN}/`, ['audio']),
    'notifications, app': ask('notifications', pageUrl),
    'geolocation, app': ask('geolocation', pageUrl),
    'clipboard-read, app': ask('clipboard-read', pageUrl),
    'check media, app': check(contents, 'media', pageOrigin),
    'check media, other origin': check(contents, 'media', OTHER_ORIGIN),
    'check notifications, app': check(contents, 'notifications', pageOrigin),
  };
}

function navigate(contents: StandInWebContents, pageUrl: string) {
  const prevented = (url: string) => {
    let stopped = false;
    contents.emit('will-navigate', { preventDefault: () => (stopped = true) }, url);
    return stopped;
  };
  return {
    untrustedPrevented: prevented(`${OTHER_ORIGIN}/phish`),
    trustedPrevented: prevented(new URL('index.html', pageUrl).href),
    windowOpen: contents.windowOpenHandler?.({ url: `${OTHER_ORIGIN}/` }).action ?? 'none',
  };
}

type Invoke = (
  event: IpcEvent,
  method: string,
  payload?: unknown,
) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;

/**
 * An offline round as the renderer plays it, with a speech recognition model installed
 * ("use a model file I already have": a tiny one written into the user's folder): the
 * scripted interviewer speaks (Flite, in its utility process) and its playback is
 * reported; the candidate answers for a second and presses "I'm done"; the answer is
 * transcribed by whisper.cpp in the speech recognition utility process; the round ends
 * and its recording is read back.
 */
async function offlineRound(
  invoke: Invoke,
  { openDialogAnswers, openDialogs }: Pick<StandIn['record'], 'openDialogAnswers' | 'openDialogs'>,
  trusted: IpcEvent,
  contents: StandInWebContents,
  roundId: string | undefined,
  fetchPage: (
    path: string,
    headers?: Record<string, string>,
  ) => Promise<FetchSeen & { text: string }>,
) {
  const voice: DesktopReport['voice'] = { forks: [], speechEvents: 0, speechBytes: 0, notices: [] };
  const speech: DesktopReport['speech'] = {
    modelImport: null,
    candidateTurns: [],
    sessionStt: null,
  };
  const recording: DesktopReport['recording'] = {
    sessionId: null,
    audioUrl: null,
    range: null,
    full: null,
  };
  if (!roundId) return { voice, recording, speech };
  const modelFile = join(process.env.MOCKLOOP_STANDIN_HOME!, 'my models', 'ggml-tiny-test.bin');
  mkdirSync(dirname(modelFile), { recursive: true });
  writeTinyWhisperModel(modelFile);
  // Settings → "Choose file…": the system's open dialog, where the user picks it.
  openDialogAnswers.push(modelFile);
  const imported = await invoke(trusted, 'models.choose', {});
  if (!imported.ok) throw new Error(`models.choose failed: ${JSON.stringify(imported.error)}`);
  const models = imported.value as {
    engineAvailable: boolean;
    engineProblem: string | null;
    canChooseFile: boolean;
    inUse: string | null;
  };
  speech.modelImport = {
    engineAvailable: models.engineAvailable,
    engineProblem: models.engineProblem,
    canChooseFile: models.canChooseFile,
    inUse: models.inUse,
    dialogs: [...openDialogs],
  };

  // The interviewer's utterances in order, as the page would queue them.
  const utterances: { id: string; samples: number; done: boolean }[] = [];
  contents.on('stand-in:sent', (channel: string, apiEvent: { event: Record<string, unknown> }) => {
    if (channel !== EVENTS) return;
    const event = apiEvent.event;
    if (event.type === 'speech') {
      voice.speechEvents += 1;
      voice.speechBytes += (event.pcm as Uint8Array).byteLength;
      const id = String(event.utteranceId);
      let utterance = utterances.find((u) => u.id === id);
      if (!utterance) utterances.push((utterance = { id, samples: 0, done: false }));
      utterance.samples += (event.pcm as Uint8Array).byteLength / 2;
      if (event.last) utterance.done = true;
    } else if (event.type === 'turn') {
      const turn = event.turn as { speaker: string; text: string | null };
      if (turn.speaker === 'candidate') speech.candidateTurns.push({ text: turn.text });
    } else if (event.type === 'notice') {
      voice.notices.push(`${String(event.level)}: ${String(event.message)}`);
    }
  });
  const started = await invoke(trusted, 'round.start', { roundId });
  if (!started.ok) throw new Error(`round.start failed: ${JSON.stringify(started.error)}`);
  const sessionId = (started.value as { sessionId: string }).sessionId;
  recording.sessionId = sessionId;
  const failed = () => voice.notices.find((n) => n.startsWith('error'));
  await waitFor(
    'the interviewer’s first utterance',
    () => !!utterances[0]?.done || !!failed(),
    60_000,
  );
  if (!utterances[0]?.done) throw new Error(`the interviewer could not speak: ${failed()}`);

  // The page played the question (instantly, here) and hands the floor to the candidate.
  const utterance = utterances[0];
  const call = async (method: string, payload: Record<string, unknown>) => {
    const result = await invoke(trusted, method, { sessionId, ...payload });
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  };
  await call('round.playback', {
    utteranceId: utterance.id,
    event: 'started',
    atMs: 0,
    playedSamples: 0,
  });
  await call('round.playback', {
    utteranceId: utterance.id,
    event: 'ended',
    atMs: 0,
    playedSamples: utterance.samples,
  });
  // A second of a quiet 440 Hz tone from the "microphone" between 0.2 s of silence on
  // each side, in 100 ms stereo chunks, with the voice detector's reports around it.
  for (let chunk = 0; chunk < 14; chunk++) {
    const speaking = chunk >= 2 && chunk < 12;
    if (chunk === 2) await call('round.vad', { type: 'speech-start', atMs: 200 });
    if (chunk === 12) await call('round.vad', { type: 'speech-end', atMs: 1200 });
    const pcm = new Int16Array(2400 * 2);
    for (let i = 0; speaking && i < 2400; i++) {
      pcm[i * 2] = Math.round(3000 * Math.sin((2 * Math.PI * 440 * (chunk * 2400 + i)) / 24_000));
    }
    await call('round.audio', { pcm: new Uint8Array(pcm.buffer) });
  }
  // "I'm done": the answer is transcribed, the interviewer replies, and once the reply
  // plays the answer is final.
  await call('round.control', { action: 'done', atMs: 1400 });
  await waitFor('the interviewer’s reply', () => utterances.length > 1 || !!failed(), 60_000);
  if (utterances.length < 2) throw new Error(`the interviewer did not reply: ${failed()}`);
  await call('round.playback', {
    utteranceId: utterances[1]!.id,
    event: 'started',
    atMs: 1500,
    playedSamples: 0,
  });
  await waitFor(
    'the answer’s transcript',
    () => speech.candidateTurns.length > 0 || !!failed(),
    10_000,
  );
  const ended = await invoke(trusted, 'round.end', { sessionId });
  if (!ended.ok) throw new Error(`round.end failed: ${JSON.stringify(ended.error)}`);

  // The replay screen plays the recording from the URL the backend gives it.
  const replay = await invoke(trusted, 'replay.open', { id: sessionId });
  if (!replay.ok) throw new Error(`replay.open failed: ${JSON.stringify(replay.error)}`);
  const audioUrl = (replay.value as { audioUrl: string | null }).audioUrl;
  const detail = await invoke(trusted, 'sessions.get', { id: sessionId });
  if (!detail.ok) throw new Error(`sessions.get failed: ${JSON.stringify(detail.error)}`);
  speech.sessionStt = (
    detail.value as { session: { providers: { stt: unknown } } }
  ).session.providers.stt;
  if (!audioUrl) throw new Error('the replay has no audio URL');
  recording.audioUrl = audioUrl;
  recording.range = strip(await fetchPage(audioUrl, { range: 'bytes=0-1023' }));
  recording.full = strip(await fetchPage(audioUrl));
  return { voice, recording, speech };
}
