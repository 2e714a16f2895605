import { describe, expect, it } from 'vitest';
import {
  millis,
  millisToSamples,
  minutesToMillis,
  sampleIndex,
  samplesToMillis,
} from '../../../src/core/units';

describe('units', () => {
  it('converts samples to milliseconds at the given rate', () => {
    expect(samplesToMillis(sampleIndex(24_000), 24_000)).toBe(1000);
    expect(samplesToMillis(sampleIndex(12), 24_000)).toBe(0.5);
    expect(samplesToMillis(sampleIndex(16_000), 16_000)).toBe(1000);
    expect(samplesToMillis(sampleIndex(0), 24_000)).toBe(0);
  });

  it('converts milliseconds to a whole sample index, rounding to nearest', () => {
    expect(millisToSamples(millis(1000), 24_000)).toBe(24_000);
    expect(millisToSamples(millis(2700), 24_000)).toBe(64_800);
    expect(millisToSamples(millis(10.02), 24_000)).toBe(240); // 240.48
    expect(millisToSamples(millis(10.03), 24_000)).toBe(241); // 240.72
    expect(Number.isInteger(millisToSamples(millis(1 / 3), 24_000))).toBe(true);
  });

  it('round-trips whole samples exactly', () => {
    for (const n of [0, 1, 7, 2400, 24_000, 1_234_567]) {
      expect(millisToSamples(samplesToMillis(sampleIndex(n), 24_000), 24_000)).toBe(n);
    }
  });

  it('converts minutes to milliseconds', () => {
    expect(minutesToMillis(45)).toBe(2_700_000);
    expect(minutesToMillis(1.5)).toBe(90_000);
    expect(minutesToMillis(0)).toBe(0);
  });
});
