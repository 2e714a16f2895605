import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWhisper, loadWhisperModule, type WhisperContext } from '@fugood/whisper.node';
import { downsampleForSpeech } from '../../core/resample';
import type { ProviderError } from '../types';
import type { WhisperReply, WhisperRequest } from './whisperProtocol';
import { spokenText } from './whisperText';

/**
 * The local speech-to-text host: a process of its own that owns whisper.cpp — a Node
 * child in browser mode (whisperProcess.ts), an Electron utility process on the desktop
 * (src/main/whisperUtilityProcess.ts). Loading a model blocks for a moment and decoding
 * uses every core it is given, so neither happens in the backend's process: a round keeps
 * its timing while a turn is transcribed, and a crash in native code costs one turn (the
 * parent restarts the host).
 */
type Transcribe = Extract<WhisperRequest, { type: 'transcribe' }>;

/** whisper.cpp hears 16 kHz. */
const WHISPER_RATE = 16_000;

let loaded: { path: string; context: WhisperContext } | null = null;
const running = new Map<number, () => Promise<void>>();
/** Transcriptions received and not yet answered, and those of them cancelled before
 * their decoding began (e.g. while the model was loading). */
const received = new Set<number>();
const cancelled = new Set<number>();

/** Null when whisper.cpp's library loads here; otherwise why not, for the user. */
async function engineProblem(): Promise<string | null> {
  try {
    await loadWhisperModule();
    return null;
  } catch (error) {
    return `Speech recognition cannot start on this computer: ${nativeCause(error)}. Reinstall Mockloop${
      process.platform === 'linux' ? ' (on Linux it needs the libgomp1 package)' : ''
    }.`;
  }
}

/**
 * The binding swallows why its native package failed to load and reports a fallback path
 * instead; loading the package directly gives the real reason (e.g. a missing system
 * library).
 */
function nativeCause(error: unknown): string {
  const name = `@fugood/node-whisper-${process.platform}-${process.arch}`;
  try {
    const binding = createRequire(import.meta.url).resolve('@fugood/whisper.node');
    createRequire(binding)(name);
    return message(error);
  } catch (cause) {
    const text = message(cause);
    return /Cannot find module/.test(text) ? `${name} is not installed` : text.split('\n')[0]!;
  }
}

async function contextFor(modelPath: string): Promise<{ context: WhisperContext; loadMs: number }> {
  if (loaded?.path === modelPath) return { context: loaded.context, loadMs: 0 };
  if (loaded) await loaded.context.release();
  loaded = null;
  const started = performance.now();
  const context = await initWhisper({ filePath: modelPath, useGpu: false });
  loaded = { path: modelPath, context };
  return { context, loadMs: performance.now() - started };
}

async function transcribe(request: Transcribe): Promise<void> {
  received.add(request.id);
  const exists = await stat(request.modelPath).catch(() => null);
  if (!exists?.isFile()) {
    return fail(
      request.id,
      'missing-asset',
      `The speech recognition model is missing (${request.modelPath}). Download it again in Settings.`,
    );
  }
  const problem = await engineProblem();
  if (problem) return fail(request.id, 'missing-asset', problem);
  let context: WhisperContext;
  let loadMs: number;
  try {
    ({ context, loadMs } = await contextFor(request.modelPath));
  } catch (error) {
    return fail(
      request.id,
      'missing-asset',
      `The speech recognition model could not be loaded (${message(error)}): the file may be damaged. Download it again in Settings.`,
    );
  }
  if (cancelled.has(request.id)) return fail(request.id, 'aborted', 'Transcription cancelled.');
  const started = performance.now();
  const pcm = downsampleForSpeech(request.pcm, request.sampleRate, WHISPER_RATE);
  const job = context.transcribeData(
    pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer,
    {
      language: request.language,
      maxThreads: request.threads,
      temperature: 0,
      ...(request.prompt ? { prompt: request.prompt } : {}),
    },
  );
  running.set(request.id, job.stop);
  try {
    const result = await job.promise;
    if (result.isAborted) return fail(request.id, 'aborted', 'Transcription cancelled.');
    const text = spokenText(result.segments.map((s) => s.text));
    return reply({
      id: request.id,
      ok: true,
      text,
      processingMs: performance.now() - started,
      loadMs,
    });
  } catch (error) {
    return fail(request.id, 'server', `Speech recognition failed: ${message(error)}`);
  } finally {
    running.delete(request.id);
  }
}

function fail(id: number, code: ProviderError['code'], text: string): void {
  reply({ id, ok: false, code, message: text });
}

/** Electron's utility processes talk through parentPort; Node children through process.send. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: WhisperRequest }) => void): void;
  postMessage(message: WhisperReply): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function reply(message: WhisperReply): void {
  received.delete(message.id);
  cancelled.delete(message.id);
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function handle(request: WhisperRequest): void {
  switch (request.type) {
    case 'cancel': {
      const stop = running.get(request.id);
      if (stop) void stop();
      else if (received.has(request.id)) cancelled.add(request.id);
      return;
    }
    case 'probe':
      void engineProblem().then((problem) =>
        problem
          ? fail(request.id, 'missing-asset', problem)
          : reply({ id: request.id, ok: true, probe: true }),
      );
      return;
    case 'transcribe':
      // Anything thrown before decoding starts (a bad request, the binding refusing the
      // audio) answers this request instead of taking the host down.
      transcribe(request).catch((error: unknown) =>
        fail(request.id, 'server', `Speech recognition failed: ${message(error)}`),
      );
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (parentPort) {
  parentPort.on('message', (event) => handle(event.data));
} else {
  process.on('message', handle);
  // The parent going away (or closing the channel) ends this process too.
  process.on('disconnect', () => process.exit(0));
}
