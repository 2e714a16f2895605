import { describe, expect, it } from 'vitest';
import { downsampleForSpeech, resampleLinear } from '../../../src/core/resample';

function tone(hz: number, rate: number, seconds: number, amplitude = 10_000): Int16Array {
  const samples = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  }
  return samples;
}

/** Root-mean-square level, skipping the edges where the filter sees repeated samples. */
function rms(samples: Int16Array): number {
  const margin = Math.floor(samples.length / 10);
  let sum = 0;
  for (let i = margin; i < samples.length - margin; i++) sum += (samples[i] ?? 0) ** 2;
  return Math.sqrt(sum / (samples.length - 2 * margin));
}

/** Level of one frequency in the signal (a single DFT bin, by correlation). */
function levelAt(samples: Int16Array, hz: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    re += (samples[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / rate);
    im += (samples[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}

const dB = (ratio: number) => 20 * Math.log10(ratio);

describe('downsampleForSpeech (24 kHz to whisper’s 16 kHz)', () => {
  it('keeps speech frequencies at their level and length', () => {
    const input = tone(1_000, 24_000, 1);
    const output = downsampleForSpeech(input, 24_000, 16_000);
    expect(output.length).toBe(16_000);
    expect(Math.abs(dB(rms(output) / rms(input)))).toBeLessThan(0.5);
    expect(levelAt(output, 1_000, 16_000)).toBeGreaterThan(9_000);
  });

  it('removes what would fold back into the band (a 10 kHz hiss does not become 6 kHz)', () => {
    const hiss = tone(10_000, 24_000, 1);
    const filtered = downsampleForSpeech(hiss, 24_000, 16_000);
    const folded = resampleLinear(hiss, 24_000, 16_000);
    // Straight interpolation puts the 10 kHz tone at 16 - 10 = 6 kHz, barely weakened...
    expect(levelAt(folded, 6_000, 16_000)).toBeGreaterThan(1_000);
    // ...the filter keeps it more than 50 dB down.
    expect(dB(levelAt(filtered, 6_000, 16_000) / 10_000)).toBeLessThan(-50);
  });

  it('does not wrap a full-scale square wave around (filter ripple is clamped)', () => {
    const square = new Int16Array(2_400).map((_, i) => (Math.floor(i / 30) % 2 ? 32_767 : -32_768));
    const output = downsampleForSpeech(square, 24_000, 16_000);
    // A wrapped sample would jump sign in the middle of a flat stretch.
    const middle = output.slice(10, 15);
    expect(new Set(Array.from(middle, (v) => Math.sign(v))).size).toBe(1);
  });

  it('handles empty and tiny inputs and refuses nonsense rates', () => {
    expect(downsampleForSpeech(new Int16Array(0), 24_000, 16_000)).toHaveLength(0);
    expect(Array.from(downsampleForSpeech(Int16Array.of(500, 500, 500), 24_000, 16_000))).toEqual([
      500, 500,
    ]);
    expect(() => downsampleForSpeech(Int16Array.of(1), 0, 16_000)).toThrow(RangeError);
  });

  it('goes up like resampleLinear', () => {
    const input = tone(300, 16_000, 0.1);
    expect(downsampleForSpeech(input, 16_000, 24_000)).toEqual(
      resampleLinear(input, 16_000, 24_000),
    );
  });
});
