import { CANDIDATE_CHANNEL, RECORDING_CHANNELS } from '../core/audioFormat';

/**
 * The candidate's channel of the last few minutes, kept in memory so a finished turn can
 * be handed to speech-to-text without reading the recording back from disk. A ring
 * buffer keeps memory flat however long the round runs.
 */
export class CandidateAudio {
  private readonly ring: Int16Array;
  private written = 0;

  constructor(capacitySamples: number) {
    this.ring = new Int16Array(capacitySamples);
  }

  get totalSamples(): number {
    return this.written;
  }

  /** Append interleaved stereo frames; keeps the candidate channel. */
  pushStereo(frames: Int16Array): void {
    for (let i = CANDIDATE_CHANNEL; i < frames.length; i += RECORDING_CHANNELS) {
      this.ring[this.written % this.ring.length] = frames[i] ?? 0;
      this.written++;
    }
  }

  /** Samples [start, end) of the candidate channel; what fell out of the ring is skipped. */
  slice(start: number, end: number): Int16Array {
    const from = Math.max(start, this.written - this.ring.length, 0);
    const to = Math.min(end, this.written);
    if (to <= from) return new Int16Array(0);
    const out = new Int16Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = this.ring[i % this.ring.length] ?? 0;
    return out;
  }
}
