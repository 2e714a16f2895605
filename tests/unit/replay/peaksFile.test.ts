import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computePeaks, peaksFileSchema } from '../../../src/core/peaks';
import { encodeWavPcm16 } from '../../../src/core/wav';
import {
  computePeaksFromWav,
  loadOrComputePeaks,
  readPeaksFile,
  readWavLayout,
  writePeaksFile,
} from '../../../src/storage/peaksFile';
import { StorageError } from '../../../src/storage/storageError';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mockloop-peaks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Stereo audio whose samples depend on position, so misplaced bytes change the peaks. */
function stereo(frames: number): Int16Array {
  const out = new Int16Array(frames * 2);
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919) % 60001) - 30000;
  return out;
}

async function writeWav(frames: number): Promise<Int16Array> {
  const audio = stereo(frames);
  await writeFile(join(dir, 'audio.wav'), encodeWavPcm16(audio, 24_000, 2));
  return audio;
}

describe('peaks from a WAV', () => {
  it('streams through the file in chunks and matches peaks computed in one go', async () => {
    // ~3.8 MB: several read chunks, with chunk edges inside frames and buckets.
    const audio = await writeWav(24_000 * 40 + 123);
    const peaks = await computePeaksFromWav(join(dir, 'audio.wav'));
    expect(peaks).toEqual(computePeaks(audio, 2, 24_000));
  });

  it('takes a crash-truncated data chunk to run to the end of the file', async () => {
    const audio = stereo(5000);
    const bytes = encodeWavPcm16(audio, 24_000, 2);
    new DataView(bytes.buffer).setUint32(40, 0, true); // header never patched
    await writeFile(join(dir, 'audio.wav'), bytes);
    expect((await readWavLayout(join(dir, 'audio.wav'))).frames).toBe(5000);
    expect((await computePeaksFromWav(join(dir, 'audio.wav'))).frames).toBe(5000);
  });

  it('says clearly when the file is not a WAV', async () => {
    await writeFile(join(dir, 'audio.wav'), 'not audio at all');
    await expect(computePeaksFromWav(join(dir, 'audio.wav'))).rejects.toThrow(/not a readable WAV/);
  });
});

describe('peaks.json', () => {
  it('round-trips and is plain JSON with base64 channels', async () => {
    const peaks = computePeaks(stereo(10_000), 2, 24_000);
    await writePeaksFile(dir, peaks);
    const json = peaksFileSchema.parse(JSON.parse(await readFile(join(dir, 'peaks.json'), 'utf8')));
    expect(json).toMatchObject({ version: 1, samplesPerPeak: 240, channels: 2, frames: 10_000 });
    const read = await readPeaksFile(dir);
    expect(read).toEqual({ ok: true, peaks });
  });

  it('is computed and saved on first open, then read back without touching the audio', async () => {
    const audio = await writeWav(24_000 * 3);
    const first = await loadOrComputePeaks(dir, 'audio.wav');
    expect(first.computed).toBe(true);
    expect(first.peaks).toEqual(computePeaks(audio, 2, 24_000));
    const second = await loadOrComputePeaks(dir, 'audio.wav');
    expect(second).toEqual({ peaks: first.peaks, computed: false });
  });

  it.each([
    ['garbage', 'this is not json'],
    ['the wrong shape', '{"version":1,"data":[]}'],
    ['empty', ''],
  ])('is recomputed when it is %s, and nothing else is touched', async (_what, content) => {
    const audio = await writeWav(24_000);
    const wavBefore = await readFile(join(dir, 'audio.wav'));
    await writeFile(join(dir, 'peaks.json'), content);
    const { peaks, computed } = await loadOrComputePeaks(dir, 'audio.wav');
    expect(computed).toBe(true);
    expect(peaks).toEqual(computePeaks(audio, 2, 24_000));
    expect((await readPeaksFile(dir)).ok).toBe(true);
    expect(await readFile(join(dir, 'audio.wav'))).toEqual(wavBefore);
  });

  it('is recomputed when its channels do not add up', async () => {
    await writeWav(24_000);
    const peaks = computePeaks(stereo(24_000), 2, 24_000);
    await writePeaksFile(dir, { ...peaks, length: peaks.length + 3 });
    expect((await readPeaksFile(dir)).ok).toBe(false);
    expect((await loadOrComputePeaks(dir, 'audio.wav')).computed).toBe(true);
  });

  it('is completed from where a periodic save left off when the recording went on (crash)', async () => {
    const audio = await writeWav(24_000 * 20);
    // The last periodic save covered the first 15 s only.
    const acc = computePeaks(audio.subarray(0, 24_000 * 15 * 2), 2, 24_000);
    await writePeaksFile(dir, acc);
    const { peaks, computed } = await loadOrComputePeaks(dir, 'audio.wav');
    expect(computed).toBe(true);
    expect(peaks).toEqual(computePeaks(audio, 2, 24_000));
  });

  it('is recomputed when it claims more audio than the file holds (repaired recording)', async () => {
    const audio = await writeWav(24_000);
    await writePeaksFile(dir, computePeaks(stereo(24_000 * 2), 2, 24_000));
    expect((await loadOrComputePeaks(dir, 'audio.wav')).peaks).toEqual(
      computePeaks(audio, 2, 24_000),
    );
  });

  it('still returns the peaks when peaks.json cannot be written', async () => {
    const audio = await writeWav(24_000);
    // A folder in the way makes the atomic rename fail, even for root.
    await mkdir(join(dir, 'peaks.json'));
    const result = await loadOrComputePeaks(dir, 'audio.wav');
    expect(result.peaks).toEqual(computePeaks(audio, 2, 24_000));
    expect(result.saveProblem).toBeTruthy();
  });

  it('is a not-found StorageError when there is no recording', async () => {
    await mkdir(join(dir, 'empty'));
    await expect(loadOrComputePeaks(join(dir, 'empty'), 'audio.wav')).rejects.toSatisfy(
      (e) => e instanceof StorageError && e.code === 'not-found',
    );
  });
});
