import { appendFile, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../../src/storage/storageError';
import { repairWav, WavStreamWriter } from '../../../src/storage/wavStreamWriter';
import { rampFrames, readWav } from '../../support/wavFile';

const FORMAT = { sampleRate: 24_000, channels: 2 };
const FRAME = 4;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mockloop-wav-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('WavStreamWriter', () => {
  it('round-trips audio appended in chunks that split frames', async () => {
    const path = join(dir, 'audio.wav');
    const writer = await WavStreamWriter.create(path, FORMAT);
    const audio = rampFrames(1000);
    // Odd chunk sizes: every boundary but the last falls inside a frame.
    const cuts = [0, 3, 10, 11, 401, 2999, 4000];
    for (let i = 1; i < cuts.length; i++) {
      await writer.append(audio.subarray(cuts[i - 1], cuts[i]));
    }
    expect(writer.framesWritten).toBe(1000);
    await writer.close();

    const wav = await readWav(path);
    expect(wav).toMatchObject({ channels: 2, sampleRate: 24_000, blockAlign: 4 });
    expect(wav.dataSize).toBe(4000);
    expect(wav.riffSize).toBe(36 + 4000);
    expect(wav.fileBytes).toBe(44 + 4000);
    expect(Buffer.from(wav.data).equals(Buffer.from(audio))).toBe(true);
  });

  it('holds back a partial frame and drops it on close', async () => {
    const path = join(dir, 'audio.wav');
    const writer = await WavStreamWriter.create(path, FORMAT);
    await writer.append(rampFrames(10).subarray(0, 4 * 10 - 1));
    expect(writer.framesWritten).toBe(9);
    await writer.close();
    const wav = await readWav(path);
    expect(wav.dataSize).toBe(36);
    expect(wav.fileBytes).toBe(44 + 36);
  });

  it('keeps the header nearly current while recording, without close()', async () => {
    const path = join(dir, 'audio.wav');
    const writer = await WavStreamWriter.create(path, FORMAT);
    try {
      for (let i = 0; i < 15; i++) await writer.append(rampFrames(2400, i)); // 1.5 s in 100 ms
      const wav = await readWav(path);
      // Patched once a second: the header lags the data by less than a second.
      expect(wav.dataSize).toBe(24_000 * FRAME);
      expect(wav.fileBytes).toBe(44 + 36_000 * FRAME);
      await writer.flushHeader();
      expect((await readWav(path)).dataSize).toBe(36_000 * FRAME);
    } finally {
      await writer.close();
    }
    expect(writer.durationMs).toBe(1500);
  });

  it('refuses to overwrite an existing recording', async () => {
    const path = join(dir, 'audio.wav');
    await writeFile(path, 'precious');
    const error = await WavStreamWriter.create(path, FORMAT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('exists');
  });

  it('surfaces a full disk as a StorageError and keeps what was written', async () => {
    const path = join(dir, 'audio.wav');
    const writer = await WavStreamWriter.create(path, FORMAT);
    await writer.append(rampFrames(100));
    // Make the next data write fail the way a full disk does.
    const probe = await open(join(dir, 'probe'), 'w');
    const handleProto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => unknown };
    await probe.close();
    vi.spyOn(handleProto, 'write').mockRejectedValueOnce(
      Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
    );

    const error = await writer.append(rampFrames(100)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('disk-full');
    expect((error as StorageError).message).toBe(
      'The disk is full — free some space; what was recorded so far is kept.',
    );
    // Later appends fail the same way instead of writing holes into the file.
    await expect(writer.append(rampFrames(1))).rejects.toBe(error);
    await expect(writer.close()).rejects.toBe(error);

    const wav = await readWav(path);
    expect(wav.dataSize).toBe(100 * FRAME);
    expect(Buffer.from(wav.data).equals(Buffer.from(rampFrames(100)))).toBe(true);
  });
});

describe('repairWav', () => {
  it('fixes stale sizes and cuts a partial frame from a recording cut off mid-write', async () => {
    const path = join(dir, 'audio.wav');
    const writer = await WavStreamWriter.create(path, FORMAT);
    await writer.append(rampFrames(24_000)); // 1 s, header patched
    await writer.close();
    // What a kill leaves: more audio than the header says, ending mid-frame.
    await appendFile(path, rampFrames(12_001).subarray(0, 12_000 * FRAME + 3));
    const before = await readWav(path);
    expect(before.dataSize).toBe(24_000 * FRAME);
    expect(before.fileBytes % FRAME).not.toBe(0);

    const result = await repairWav(path);
    expect(result).toEqual({ durationMs: 1500, repaired: true });
    const after = await readWav(path);
    expect(after.dataSize).toBe(36_000 * FRAME);
    expect(after.riffSize).toBe(36 + 36_000 * FRAME);
    expect(after.fileBytes).toBe(44 + 36_000 * FRAME);

    expect(await repairWav(path)).toEqual({ durationMs: 1500, repaired: false });
  });

  it('rebuilds a header that never reached the disk when the format is known', async () => {
    const path = join(dir, 'audio.wav');
    await writeFile(path, new Uint8Array(10));
    expect(await repairWav(path, FORMAT)).toEqual({ durationMs: 0, repaired: true });
    const wav = await readWav(path);
    expect(wav).toMatchObject({ sampleRate: 24_000, channels: 2, dataSize: 0, fileBytes: 44 });
  });

  it('rejects a file that is not a WAV when no format is given', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'this is not audio at all, just some text that is long enough');
    await expect(repairWav(path)).rejects.toMatchObject({ code: 'corrupt' });
    expect((await stat(path)).size).toBeGreaterThan(44);
  });

  it('reports a missing file as not-found', async () => {
    await expect(repairWav(join(dir, 'none.wav'))).rejects.toMatchObject({ code: 'not-found' });
  });
});
