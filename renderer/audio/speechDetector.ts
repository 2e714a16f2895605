import { FrameProcessor, Message } from '@ricky0123/vad-web';
import type { FrameProcessorEvent } from '@ricky0123/vad-web/dist/frame-processor';
import { Silero } from '@ricky0123/vad-web/dist/models/silero';
import * as ort from 'onnxruntime-web/wasm';

/** Silero v5 takes 512-sample frames at 16 kHz: 32 ms each. */
const VAD_RATE = 16_000;
const FRAME = 512;
const MS_PER_FRAME = (FRAME / VAD_RATE) * 1000;
/**
 * The detector's own hangover is short on purpose: deciding that the candidate's turn is
 * over is the engine's job (its end-of-turn window, hold-to-think, "I'm done"), and the
 * engine starts drafting its reply as soon as a pause is reported, so every millisecond
 * here is a millisecond of reply latency. Five frames still bridge the dips between words.
 */
const REDEMPTION_MS = 160;

export interface SpeechDetectorEvents {
  /** Speech confirmed (it has lasted the minimum), dated from its first frame. */
  onSpeechStart(atMs: number): void;
  onSpeechEnd(atMs: number): void;
  /** First frame that sounds like speech: possibly the candidate cutting in. */
  onSpeechOnset?(atMs: number): void;
  /** The onset turned out too short to be speech (a click, a breath). */
  onMisfire?(): void;
}

/**
 * Speech detection with the Silero VAD model that ships inside @ricky0123/vad-web,
 * run by onnxruntime-web's WASM backend. Both files are served next to the page.
 */
export class SpeechDetector {
  private pending = new Float32Array(0);
  /** Time (ms on the round clock) of the first sample not yet framed. */
  private pendingStartMs = 0;
  private chain: Promise<void> = Promise.resolve();
  private candidateStartMs = 0;
  private announced = false;

  private constructor(
    private readonly processor: FrameProcessor,
    private readonly events: SpeechDetectorEvents,
  ) {}

  static async load(events: SpeechDetectorEvents): Promise<SpeechDetector> {
    ort.env.wasm.wasmPaths = new URL('./vad/', document.baseURI).href;
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    const response = await fetch(new URL('./vad/silero_vad_v5.onnx', document.baseURI));
    if (!response.ok) throw new Error('The speech detector model is missing from this build.');
    const bytes = await response.arrayBuffer();
    const model = await Silero.new(ort, async () => bytes);
    const processor = new FrameProcessor(
      model.process,
      model.reset_state,
      {
        positiveSpeechThreshold: 0.5,
        negativeSpeechThreshold: 0.35,
        redemptionMs: REDEMPTION_MS,
        preSpeechPadMs: 0,
        minSpeechMs: 160,
        submitUserSpeechOnPause: false,
      },
      MS_PER_FRAME,
    );
    processor.resume();
    return new SpeechDetector(processor, events);
  }

  /** Microphone samples at `rate`, starting at `startMs` on the round clock. */
  push(samples: Float32Array, rate: number, startMs: number): void {
    const resampled = downsample(samples, rate, VAD_RATE);
    if (this.pending.length === 0) this.pendingStartMs = startMs;
    const merged = new Float32Array(this.pending.length + resampled.length);
    merged.set(this.pending);
    merged.set(resampled, this.pending.length);
    let offset = 0;
    while (merged.length - offset >= FRAME) {
      const frame = merged.slice(offset, offset + FRAME);
      const frameStartMs = this.pendingStartMs + (offset / VAD_RATE) * 1000;
      this.chain = this.chain.then(() => this.processFrame(frame, frameStartMs));
      offset += FRAME;
    }
    this.pending = merged.slice(offset);
    this.pendingStartMs += (offset / VAD_RATE) * 1000;
  }

  private async processFrame(frame: Float32Array, frameStartMs: number): Promise<void> {
    await this.processor.process(frame, (event: FrameProcessorEvent) => {
      switch (event.msg) {
        case Message.SpeechStart:
          this.candidateStartMs = frameStartMs;
          this.events.onSpeechOnset?.(frameStartMs);
          break;
        case Message.SpeechRealStart:
          this.announced = true;
          this.events.onSpeechStart(this.candidateStartMs);
          break;
        case Message.SpeechEnd:
          if (this.announced) {
            this.announced = false;
            this.events.onSpeechEnd(
              Math.max(this.candidateStartMs, frameStartMs + MS_PER_FRAME - REDEMPTION_MS),
            );
          }
          break;
        case Message.VADMisfire:
          this.announced = false;
          this.events.onMisfire?.();
          break;
        default:
          break;
      }
    });
  }
}

/** Linear-interpolation downsampling; plenty for speech detection. */
function downsample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input;
  const ratio = from / to;
  const out = new Float32Array(Math.floor(input.length / ratio));
  for (let i = 0; i < out.length; i++) {
    const pos = i * ratio;
    const j = Math.floor(pos);
    const frac = pos - j;
    out[i] = (input[j] ?? 0) * (1 - frac) + (input[j + 1] ?? input[j] ?? 0) * frac;
  }
  return out;
}
