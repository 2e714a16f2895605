import { SAMPLE_RATE } from '../../src/core/audioFormat';

/**
 * Stand-in speech for the fake OpenAI server: a deterministic voiced tone whose length
 * follows the input text, so tests can reason about durations without a real voice.
 */

export interface FakeSpeechTiming {
  /** Milliseconds of audio per input character. */
  msPerChar: number;
  /** Cap on one reply's audio, ms. */
  maxMs: number;
}

export const DEFAULT_SPEECH_TIMING: FakeSpeechTiming = { msPerChar: 60, maxMs: 20_000 };

/** Samples of 24 kHz mono audio the fake server returns for `text`. */
export function fakeSpeechSampleCount(
  text: string,
  timing: FakeSpeechTiming = DEFAULT_SPEECH_TIMING,
): number {
  const ms = Math.min(text.length * timing.msPerChar, timing.maxMs);
  return Math.round((ms * SAMPLE_RATE) / 1000);
}

/**
 * A 150 Hz tone with a few harmonics under a 4 Hz "syllable" envelope: it has the energy
 * pattern of speech, so level meters and voice detectors react to it roughly as to a voice.
 */
export function fakeSpeechPcm(
  text: string,
  timing: FakeSpeechTiming = DEFAULT_SPEECH_TIMING,
): Int16Array {
  const samples = new Int16Array(fakeSpeechSampleCount(text, timing));
  for (let i = 0; i < samples.length; i++) {
    const t = i / SAMPLE_RATE;
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
    const tone =
      Math.sin(2 * Math.PI * 150 * t) +
      0.5 * Math.sin(2 * Math.PI * 300 * t) +
      0.25 * Math.sin(2 * Math.PI * 450 * t);
    samples[i] = Math.round(7000 * envelope * tone);
  }
  return samples;
}

/** Little-endian bytes of 16-bit samples, as OpenAI's `pcm` response format sends them. */
export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i] ?? 0, true);
  return bytes;
}
