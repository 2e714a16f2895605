import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToInt16,
  computePeaks,
  int16ToBytes,
  PeakAccumulator,
  peaksProblem,
  peaksToFloat,
} from '../../../src/core/peaks';

/** Min/max per bucket and channel, the slow obvious way. */
function naivePeaks(interleaved: Int16Array, channels: number, spp: number): Int16Array[] {
  const frames = Math.floor(interleaved.length / channels);
  const buckets = Math.ceil(frames / spp);
  return Array.from({ length: channels }, (_, c) => {
    const out = new Int16Array(buckets * 2);
    for (let b = 0; b < buckets; b++) {
      let min = Infinity;
      let max = -Infinity;
      for (let f = b * spp; f < Math.min(frames, (b + 1) * spp); f++) {
        const s = interleaved[f * channels + c]!;
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
      out[b * 2] = min;
      out[b * 2 + 1] = max;
    }
    return out;
  });
}

const samples = fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 600 });

describe('PeakAccumulator', () => {
  it('keeps the min and max of every bucket of every channel, however the audio is chunked', () => {
    fc.assert(
      fc.property(
        samples,
        fc.integer({ min: 1, max: 17 }),
        fc.array(fc.nat(80)),
        (raw, spp, cuts) => {
          const stereo = Int16Array.from(raw.slice(0, raw.length - (raw.length % 2)));
          const acc = new PeakAccumulator(2, 24_000, spp);
          let at = 0;
          for (const cut of cuts) {
            const end = Math.min(stereo.length, at + cut * 2);
            acc.push(stereo.subarray(at, end));
            at = end;
          }
          acc.push(stereo.subarray(at));
          const peaks = acc.snapshot();
          expect(peaks.frames).toBe(stereo.length / 2);
          expect(peaks.length).toBe(Math.ceil(stereo.length / 2 / spp));
          expect(peaks.data).toEqual(naivePeaks(stereo, 2, spp));
          expect(peaksProblem(peaks)).toBeNull();
        },
      ),
    );
  });

  it('grows past its first minute of capacity', () => {
    const frames = 24_000 * 150;
    const stereo = new Int16Array(frames * 2);
    for (let i = 0; i < stereo.length; i++) stereo[i] = (i % 200) - 100;
    stereo[frames * 2 - 2] = 32767;
    const peaks = computePeaks(stereo, 2, 24_000);
    expect(peaks.length).toBe(15_000);
    expect(peaks.data[0]![peaks.length * 2 - 1]).toBe(32767);
  });

  it('leaves the partial last bucket out of periodic snapshots, so a reader can resume exactly', () => {
    const stereo = Int16Array.from({ length: 2 * 1000 }, (_, i) => (i * 37) % 2000);
    const acc = new PeakAccumulator(2, 24_000, 240);
    acc.push(stereo);
    const periodic = acc.snapshot({ partial: false });
    expect(periodic.frames).toBe(960);
    expect(periodic.length).toBe(4);

    const resumed = PeakAccumulator.resume(periodic);
    expect(resumed.frames).toBe(960);
    resumed.push(stereo.subarray(960 * 2));
    expect(resumed.snapshot()).toEqual(acc.snapshot());
  });

  it('ignores a trailing partial frame and rejects nonsense settings', () => {
    const acc = new PeakAccumulator(2, 24_000, 4);
    acc.push(Int16Array.from([1, 2, 3]));
    expect(acc.frames).toBe(1);
    expect(() => new PeakAccumulator(0, 24_000)).toThrow(RangeError);
    expect(() => new PeakAccumulator(2, 24_000, 0)).toThrow(RangeError);
  });
});

describe('peak encoding', () => {
  it('round-trips s16 through little-endian bytes', () => {
    fc.assert(
      fc.property(samples, (raw) => {
        const values = Int16Array.from(raw);
        const bytes = int16ToBytes(values);
        expect(bytes.length).toBe(values.length * 2);
        if (values.length > 0) expect(bytes[0]).toBe(values[0]! & 0xff);
        expect(bytesToInt16(bytes)).toEqual(values);
      }),
    );
  });

  it('reads bytes that do not start on an even address', () => {
    const buffer = new Uint8Array(7);
    buffer.set([0x34, 0x12, 0xff, 0xff], 1);
    expect([...bytesToInt16(buffer.subarray(1, 5))]).toEqual([0x1234, -1]);
  });

  it('scales to -1..1 for the waveform', () => {
    expect([...peaksToFloat(Int16Array.from([-32768, 0, 16384]))]).toEqual([-1, 0, 0.5]);
  });

  it('reports inconsistent peaks', () => {
    const peaks = computePeaks(new Int16Array(2 * 500), 2, 24_000, 100);
    expect(peaksProblem({ ...peaks, length: 4 })).toMatch(/length/);
    expect(peaksProblem({ ...peaks, data: [peaks.data[0]!, new Int16Array(3)] })).toMatch(
      /channel/,
    );
  });
});
