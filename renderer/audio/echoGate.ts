/**
 * Keeps the interviewer's own voice, picked up by the microphone, away from the speech
 * detector. Chromium's echo canceller removes most of it when it works (and headphones
 * remove all of it), but a residue, a canceller that is off (Electron has open reports of
 * that) or one still converging would otherwise read as the candidate talking and stop
 * the interviewer. So, block by block, microphone audio that is not clearly louder than
 * what the interviewer has just played (times the echo path's plausible loss) is passed
 * to the detector as silence. The recording is never gated: only what the detector hears.
 *
 * Works on the worklet's one clock: `mic[i]` and `played[i]` are the same frame.
 */

const BLOCK = 240; // 10 ms at 24 kHz
/** Echo arrives after the output and input buffers and the room: look this far back. */
const HISTORY_BLOCKS = 25; // 250 ms
/**
 * Mic energy below this share of the played level is taken for echo. -14 dB: a speaker
 * echo that survives cancellation is typically 20-40 dB below the played signal, while
 * a candidate talking is at or above it. The price is that a candidate speaking far more
 * quietly than the interviewer's playback level is only heard once the interviewer stops.
 */
const ECHO_RATIO = 0.2;
/** Played audio quieter than this (-60 dBFS) cannot make an echo worth gating. */
const PLAYED_FLOOR = 0.001;

export class EchoGate {
  private readonly history = new Float32Array(HISTORY_BLOCKS);
  private cursor = 0;
  private gated = 0;
  private total = 0;

  /** Share of blocks gated so far (diagnostics for tests). */
  get gatedShare(): number {
    return this.total === 0 ? 0 : this.gated / this.total;
  }

  /** Returns what the speech detector should hear for these frames. */
  process(mic: Float32Array, played: Float32Array): Float32Array {
    const out = new Float32Array(mic.length);
    for (let start = 0; start < mic.length; start += BLOCK) {
      const end = Math.min(mic.length, start + BLOCK);
      this.history[this.cursor] = rms(played, start, end);
      this.cursor = (this.cursor + 1) % HISTORY_BLOCKS;
      let reference = 0;
      for (const level of this.history) reference = Math.max(reference, level);
      this.total++;
      if (reference >= PLAYED_FLOOR && rms(mic, start, end) < reference * ECHO_RATIO) {
        this.gated++;
        continue; // stays silent
      }
      out.set(mic.subarray(start, end), start);
    }
    return out;
  }
}

function rms(samples: Float32Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const s = samples[i] ?? 0;
    sum += s * s;
  }
  return end > start ? Math.sqrt(sum / (end - start)) : 0;
}
