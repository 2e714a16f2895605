import { z } from 'zod';

/**
 * Waveform peaks: for every `samplesPerPeak` frames of the recording, the smallest and
 * largest sample of each channel. The replay draws its waveform from these instead of
 * decoding the audio, so a 60-minute session opens as fast as a 1-minute one. Computed
 * while recording (SessionRecorder) and saved as `peaks.json` (docs/session-format.md).
 */

/** 10 ms per peak at 24 kHz: fine enough to zoom into a word, 2.9 MB for an hour. */
export const DEFAULT_SAMPLES_PER_PEAK = 240;
export const PEAKS_VERSION = 1;

export interface Peaks {
  sampleRate: number;
  samplesPerPeak: number;
  /** Audio frames these peaks cover (one frame = one sample per channel). */
  frames: number;
  /** Peaks per channel: `ceil(frames / samplesPerPeak)`. */
  length: number;
  /** One array per channel, `[min0, max0, min1, max1, …]`, raw s16 values. */
  data: Int16Array[];
}

/** The JSON on disk; `data` holds each channel's min/max pairs as base64 of s16 little-endian. */
export const peaksFileSchema = z.object({
  version: z.literal(PEAKS_VERSION),
  sampleRate: z.number().int().positive(),
  samplesPerPeak: z.number().int().positive(),
  channels: z.number().int().min(1).max(8),
  frames: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  encoding: z.literal('s16le-minmax-base64'),
  data: z.array(z.string()),
});
export type PeaksFile = z.infer<typeof peaksFileSchema>;

/** Streams interleaved s16 frames in and keeps per-channel min/max peaks. */
export class PeakAccumulator {
  private buffers: Int16Array[];
  private framesSeen = 0;
  /** Frames already folded into the bucket in progress. */
  private inBucket = 0;

  constructor(
    readonly channels: number,
    readonly sampleRate: number,
    readonly samplesPerPeak: number = DEFAULT_SAMPLES_PER_PEAK,
  ) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError('channels must be >= 1');
    if (!Number.isInteger(samplesPerPeak) || samplesPerPeak < 1) {
      throw new RangeError('samplesPerPeak must be >= 1');
    }
    // A minute of peaks to begin with; doubles as needed.
    const initial = 2 * Math.ceil((sampleRate * 60) / samplesPerPeak);
    this.buffers = Array.from({ length: channels }, () => new Int16Array(initial));
  }

  /**
   * Continues from saved peaks: only their complete buckets are kept, so the caller feeds
   * audio again from frame `resumeFrame`.
   */
  static resume(peaks: Peaks): PeakAccumulator {
    const acc = new PeakAccumulator(peaks.data.length, peaks.sampleRate, peaks.samplesPerPeak);
    const complete = Math.min(Math.floor(peaks.frames / peaks.samplesPerPeak), peaks.length);
    acc.ensure(complete + 1);
    peaks.data.forEach((channel, c) => acc.buffers[c]!.set(channel.subarray(0, complete * 2)));
    acc.framesSeen = complete * peaks.samplesPerPeak;
    return acc;
  }

  get frames(): number {
    return this.framesSeen;
  }

  /** Adds interleaved frames (`channels` samples each); a trailing partial frame is ignored. */
  push(interleaved: Int16Array): void {
    const { channels, samplesPerPeak } = this;
    const frames = Math.floor(interleaved.length / channels);
    if (frames === 0) return;
    this.ensure(Math.ceil((this.framesSeen + frames) / samplesPerPeak) + 1);
    let bucket = Math.floor(this.framesSeen / samplesPerPeak);
    let inBucket = this.inBucket;
    for (let f = 0; f < frames; f++) {
      const base = f * channels;
      const at = bucket * 2;
      for (let c = 0; c < channels; c++) {
        const s = interleaved[base + c]!;
        const buf = this.buffers[c]!;
        if (inBucket === 0) {
          buf[at] = s;
          buf[at + 1] = s;
        } else {
          if (s < buf[at]!) buf[at] = s;
          if (s > buf[at + 1]!) buf[at + 1] = s;
        }
      }
      if (++inBucket === samplesPerPeak) {
        inBucket = 0;
        bucket++;
      }
    }
    this.framesSeen += frames;
    this.inBucket = inBucket;
  }

  /**
   * A copy of the peaks so far. Without `partial` only complete buckets are included
   * (and `frames` says so), which is what periodic saves use: a reader can then resume
   * exactly where they end.
   */
  snapshot(options: { partial?: boolean } = {}): Peaks {
    const complete = Math.floor(this.framesSeen / this.samplesPerPeak);
    const withPartial = options.partial !== false && this.inBucket > 0;
    const length = complete + (withPartial ? 1 : 0);
    return {
      sampleRate: this.sampleRate,
      samplesPerPeak: this.samplesPerPeak,
      frames: withPartial ? this.framesSeen : complete * this.samplesPerPeak,
      length,
      data: this.buffers.map((b) => b.slice(0, length * 2)),
    };
  }

  private ensure(buckets: number): void {
    const needed = buckets * 2;
    if (this.buffers[0]!.length >= needed) return;
    let size = this.buffers[0]!.length;
    while (size < needed) size *= 2;
    this.buffers = this.buffers.map((old) => {
      const grown = new Int16Array(size);
      grown.set(old);
      return grown;
    });
  }
}

/** Peaks computed in one go, for tests and fixtures. */
export function computePeaks(
  interleaved: Int16Array,
  channels: number,
  sampleRate: number,
  samplesPerPeak = DEFAULT_SAMPLES_PER_PEAK,
): Peaks {
  const acc = new PeakAccumulator(channels, sampleRate, samplesPerPeak);
  acc.push(interleaved);
  return acc.snapshot();
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of an s16 array, whatever the host's byte order. */
export function int16ToBytes(values: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN) {
    return new Uint8Array(
      values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
    );
  }
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setInt16(i * 2, values[i]!, true);
  return bytes;
}

export function bytesToInt16(bytes: Uint8Array): Int16Array {
  if (LITTLE_ENDIAN) {
    // A copy (so the view is aligned and owns its memory), then no per-sample work.
    const whole = bytes.length - (bytes.length % 2);
    return new Int16Array(bytes.slice(0, whole).buffer);
  }
  const values = new Int16Array(Math.floor(bytes.length / 2));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getInt16(i * 2, true);
  return values;
}

/** Checks that decoded peaks are self-consistent; returns why not, or null. */
export function peaksProblem(peaks: Peaks): string | null {
  if (peaks.length !== Math.ceil(peaks.frames / peaks.samplesPerPeak)) {
    return `length ${peaks.length} does not match ${peaks.frames} frames`;
  }
  for (const channel of peaks.data) {
    if (channel.length !== peaks.length * 2) return 'a channel has the wrong number of values';
  }
  return null;
}

/**
 * Peaks as wavesurfer draws them: per channel floats in -1..1 (it takes the largest
 * magnitude under each pixel, so interleaved min/max pairs draw the true envelope).
 */
export function peaksToFloat(data: Int16Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! / 32768;
  return out;
}
