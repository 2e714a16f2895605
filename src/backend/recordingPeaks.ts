import { PeakAccumulator, type Peaks } from '../core/peaks';

/** Save the peaks about every 15 s of audio: a crash then costs at most 15 s of recompute. */
const SAVE_EVERY_MS = 15_000;

/**
 * The waveform's peaks, built from the recording as it is written (SessionRecorder calls
 * `add` after each chunk reaches the disk) and saved to peaks.json periodically and when
 * the round ends. Periodic saves hold whole peaks only, so after a crash the replay
 * resumes computing from where the file ends instead of starting over. Saving is best
 * effort: a failure never stops the recording; the replay recomputes what is missing.
 */
export class RecordingPeaks {
  private readonly acc: PeakAccumulator;
  private readonly saveEveryFrames: number;
  private sinceSave = 0;
  private saving: Promise<void> | null = null;

  constructor(
    channels: number,
    sampleRate: number,
    private readonly save: (peaks: Peaks) => Promise<void>,
  ) {
    this.acc = new PeakAccumulator(channels, sampleRate);
    this.saveEveryFrames = Math.round((SAVE_EVERY_MS / 1000) * sampleRate);
  }

  add(interleaved: Int16Array): void {
    this.acc.push(interleaved);
    this.sinceSave += Math.floor(interleaved.length / this.acc.channels);
    // Skip a save while the previous one is still being written; the next one catches up.
    if (this.sinceSave >= this.saveEveryFrames && !this.saving) {
      this.sinceSave = 0;
      this.saving = this.save(this.acc.snapshot({ partial: false }))
        .catch(() => undefined)
        .finally(() => {
          this.saving = null;
        });
    }
  }

  /** The last save, including the final partial peak. */
  async finish(): Promise<void> {
    await this.saving;
    await this.save(this.acc.snapshot()).catch(() => undefined);
  }
}
