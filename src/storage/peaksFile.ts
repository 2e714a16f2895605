import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_SAMPLES_PER_PEAK,
  PEAKS_VERSION,
  PeakAccumulator,
  bytesToInt16,
  int16ToBytes,
  peaksFileSchema,
  peaksProblem,
  type Peaks,
  type PeaksFile,
} from '../core/peaks';
import { parseWavHeader } from '../core/wav';
import { readJsonFile, writeFileAtomic } from './atomicFile';
import { StorageError, toStorageError } from './storageError';

/**
 * `<session>/peaks.json`: the waveform's peaks, so a replay never decodes the recording.
 * It is derived data — a missing, stale or corrupt file is recomputed from audio.wav by
 * streaming through it (a megabyte at a time), and saved again.
 */
export const PEAKS_JSON = 'peaks.json';

export function encodePeaksFile(peaks: Peaks): string {
  const file: PeaksFile = {
    version: PEAKS_VERSION,
    sampleRate: peaks.sampleRate,
    samplesPerPeak: peaks.samplesPerPeak,
    channels: peaks.data.length,
    frames: peaks.frames,
    length: peaks.length,
    encoding: 's16le-minmax-base64',
    data: peaks.data.map((c) => Buffer.from(int16ToBytes(c)).toString('base64')),
  };
  return `${JSON.stringify(file)}\n`;
}

export function decodePeaksFile(file: PeaksFile): Peaks {
  const data = file.data.map((b64) => bytesToInt16(new Uint8Array(Buffer.from(b64, 'base64'))));
  return {
    sampleRate: file.sampleRate,
    samplesPerPeak: file.samplesPerPeak,
    frames: file.frames,
    length: file.length,
    data,
  };
}

export type PeaksRead =
  { ok: true; peaks: Peaks } | { ok: false; missing: boolean; reason: string };

export async function readPeaksFile(sessionDir: string): Promise<PeaksRead> {
  const read = await readJsonFile(join(sessionDir, PEAKS_JSON), peaksFileSchema);
  if (!read.ok) return { ok: false, missing: read.kind === 'missing', reason: read.reason };
  if (read.value.data.length !== read.value.channels) {
    return { ok: false, missing: false, reason: `${PEAKS_JSON} has the wrong number of channels` };
  }
  const peaks = decodePeaksFile(read.value);
  const problem = peaksProblem(peaks);
  return problem
    ? { ok: false, missing: false, reason: `${PEAKS_JSON} is inconsistent: ${problem}` }
    : { ok: true, peaks };
}

export async function writePeaksFile(sessionDir: string, peaks: Peaks): Promise<void> {
  await writeFileAtomic(join(sessionDir, PEAKS_JSON), encodePeaksFile(peaks));
}

export interface WavLayout {
  sampleRate: number;
  channels: number;
  dataOffset: number;
  /** Whole frames of audio in the file. */
  frames: number;
}

/**
 * Where the samples are and how many whole frames there are. The data chunk is taken to
 * run to the end of the file when its size field is a placeholder or overstates it (as
 * after a crash), like repairWav does.
 */
export async function readWavLayout(path: string): Promise<WavLayout> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw toStorageError(err, path, { action: 'read' });
  }
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    let info;
    try {
      info = parseWavHeader(head);
    } catch (err) {
      throw new StorageError(
        'corrupt',
        `${path} is not a readable WAV file (${err instanceof Error ? err.message : String(err)}).`,
        path,
      );
    }
    if (info.bitsPerSample !== 16) {
      throw new StorageError('corrupt', `${path} is not 16-bit PCM.`, path);
    }
    const declared = new DataView(head.buffer).getUint32(info.dataOffset - 4, true);
    const available = Math.max(0, size - info.dataOffset);
    const dataBytes =
      declared === 0 || declared === 0xffffffff ? available : Math.min(declared, available);
    const blockAlign = info.channels * 2;
    return {
      sampleRate: info.sampleRate,
      channels: info.channels,
      dataOffset: info.dataOffset,
      frames: Math.floor(dataBytes / blockAlign),
    };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

const READ_CHUNK = 1 << 20;

/**
 * Peaks of a WAV by streaming through it; with `resumeFrom`, only the audio after the
 * saved peaks' complete buckets is read.
 */
export async function computePeaksFromWav(
  path: string,
  options: { resumeFrom?: Peaks; samplesPerPeak?: number } = {},
): Promise<Peaks> {
  const layout = await readWavLayout(path);
  const resume = options.resumeFrom;
  const acc =
    resume && resume.sampleRate === layout.sampleRate && resume.data.length === layout.channels
      ? PeakAccumulator.resume(resume)
      : new PeakAccumulator(
          layout.channels,
          layout.sampleRate,
          options.samplesPerPeak ?? DEFAULT_SAMPLES_PER_PEAK,
        );
  const blockAlign = layout.channels * 2;
  const startFrame = Math.min(acc.frames, layout.frames);
  if (layout.frames > startFrame) {
    const stream = createReadStream(path, {
      start: layout.dataOffset + startFrame * blockAlign,
      end: layout.dataOffset + layout.frames * blockAlign - 1,
      highWaterMark: READ_CHUNK,
    });
    let carry = new Uint8Array(0);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let bytes: Uint8Array = chunk;
        if (carry.length > 0) {
          const joined = new Uint8Array(carry.length + chunk.length);
          joined.set(carry);
          joined.set(chunk, carry.length);
          bytes = joined;
        }
        const whole = bytes.length - (bytes.length % blockAlign);
        // Samples are little-endian; copy so the Int16Array is 2-byte aligned.
        acc.push(bytesToInt16(bytes.subarray(0, whole)));
        carry = bytes.slice(whole);
      }
    } catch (err) {
      throw toStorageError(err, path, { action: 'read' });
    }
  }
  return acc.snapshot();
}

/**
 * The session's peaks, from peaks.json when it matches the recording, else computed (or
 * completed, after a crash cut the recording short of its last save) and saved. Failing
 * to save is not fatal: the peaks are still returned, and computed again next time.
 */
export async function loadOrComputePeaks(
  sessionDir: string,
  audioFile: string,
): Promise<{ peaks: Peaks; computed: boolean; saveProblem?: string }> {
  const audioPath = join(sessionDir, audioFile);
  await stat(audioPath).catch((err: unknown) => {
    throw toStorageError(err, audioPath, { action: 'read' });
  });
  const [saved, layout] = await Promise.all([readPeaksFile(sessionDir), readWavLayout(audioPath)]);
  if (
    saved.ok &&
    saved.peaks.frames === layout.frames &&
    saved.peaks.sampleRate === layout.sampleRate
  ) {
    return { peaks: saved.peaks, computed: false };
  }
  const resumable = saved.ok && saved.peaks.frames < layout.frames ? saved.peaks : undefined;
  const peaks = await computePeaksFromWav(audioPath, resumable ? { resumeFrom: resumable } : {});
  try {
    await writePeaksFile(sessionDir, peaks);
    return { peaks, computed: true };
  } catch (err) {
    return { peaks, computed: true, saveProblem: err instanceof Error ? err.message : String(err) };
  }
}
