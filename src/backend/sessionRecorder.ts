import { SAMPLE_RATE } from '../core/audioFormat';
import type { RoundRecorder } from '../engine/liveRound';
import type { WavStreamWriter } from '../storage/wavStreamWriter';
import type { RecordingPeaks } from './recordingPeaks';

/** Patch the WAV header about once a second, so a crash loses at most the last second. */
const HEADER_EVERY_FRAMES = SAMPLE_RATE;

/**
 * Streams the round's stereo audio to disk in arrival order. Writes are chained so
 * they never interleave; the first failure (disk full, read-only folder) stops
 * recording and is reported once — what was written stays readable.
 */
export class SessionRecorder implements RoundRecorder {
  private chain: Promise<void> = Promise.resolve();
  private sinceHeader = 0;
  private failed = false;

  constructor(
    private readonly writer: WavStreamWriter,
    private readonly onFailure: (error: unknown) => void,
    /** Waveform peaks, fed with what reached the disk (see recordingPeaks.ts). */
    private readonly peaks?: RecordingPeaks,
  ) {}

  write(stereoFrames: Int16Array): void {
    if (this.failed) return;
    const bytes = new Uint8Array(
      stereoFrames.buffer.slice(
        stereoFrames.byteOffset,
        stereoFrames.byteOffset + stereoFrames.byteLength,
      ),
    );
    this.sinceHeader += stereoFrames.length / 2;
    const patchHeader = this.sinceHeader >= HEADER_EVERY_FRAMES;
    if (patchHeader) this.sinceHeader = 0;
    this.chain = this.chain
      .then(async () => {
        if (this.failed) return;
        await this.writer.append(bytes);
        this.peaks?.add(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1));
        if (patchHeader) await this.writer.flushHeader();
      })
      .catch((error: unknown) => {
        if (this.failed) return;
        this.failed = true;
        this.onFailure(error);
      });
  }

  async close(): Promise<{ durationMs: number }> {
    await this.chain;
    try {
      await this.writer.close();
    } catch (error) {
      if (!this.failed) this.onFailure(error);
    }
    await this.peaks?.finish();
    return { durationMs: (this.writer.framesWritten / SAMPLE_RATE) * 1000 };
  }
}
