import { describe, expect, it } from 'vitest';
import { decodeWavPcm16, encodeWavPcm16, parseWavHeader } from '../../../src/core/wav';

describe('wav', () => {
  it('round-trips 16-bit samples, including the extremes', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321, 7]);
    const bytes = encodeWavPcm16(samples, 24_000, 1);

    expect(bytes.length).toBe(44 + samples.length * 2);
    const { samples: back, info } = decodeWavPcm16(bytes);
    expect(info).toEqual({
      sampleRate: 24_000,
      channels: 1,
      bitsPerSample: 16,
      dataOffset: 44,
      dataBytes: 16,
    });
    expect(Array.from(back)).toEqual(Array.from(samples));
  });

  it('writes a standard header other tools can read', () => {
    const bytes = encodeWavPcm16(new Int16Array(4), 48_000, 2);
    const text = (from: number) => new TextDecoder().decode(bytes.subarray(from, from + 4));
    const view = new DataView(bytes.buffer);

    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect(view.getUint32(28, true)).toBe(48_000 * 2 * 2); // byte rate
    expect(view.getUint16(32, true)).toBe(4); // block align
  });

  it('skips unknown chunks (with odd-size padding) before data', () => {
    const plain = encodeWavPcm16(Int16Array.from([5, -5]), 24_000, 1);
    // Insert a 3-byte LIST chunk (padded to 4) between fmt and data.
    const extra = Uint8Array.from([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]);
    const bytes = new Uint8Array(plain.length + extra.length);
    bytes.set(plain.subarray(0, 36), 0);
    bytes.set(extra, 36);
    bytes.set(plain.subarray(36), 36 + extra.length);

    const { samples, info } = decodeWavPcm16(bytes);
    expect(info.dataOffset).toBe(44 + extra.length);
    expect(Array.from(samples)).toEqual([5, -5]);
  });

  it('clamps an overstated data size to the bytes present (streamed WAVs)', () => {
    const bytes = encodeWavPcm16(Int16Array.from([1, 2, 3]), 24_000, 1);
    new DataView(bytes.buffer).setUint32(40, 0xffffffff, true);
    expect(parseWavHeader(bytes).dataBytes).toBe(6);
  });

  it('rejects what is not a PCM WAV, saying why', () => {
    expect(() => parseWavHeader(new TextEncoder().encode('ID3 not a wav file'))).toThrow(/RIFF/);
    const bytes = encodeWavPcm16(new Int16Array(2), 24_000, 1);
    new DataView(bytes.buffer).setUint16(20, 3, true); // float format
    expect(() => parseWavHeader(bytes)).toThrow(/not PCM/);
  });

  it('refuses samples that do not divide into the channels', () => {
    expect(() => encodeWavPcm16(new Int16Array(3), 24_000, 2)).toThrow(RangeError);
  });
});
