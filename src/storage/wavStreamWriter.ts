import { open, type FileHandle } from 'node:fs/promises';
import { StorageError, toStorageError } from './storageError';

/**
 * The round's recording, written as it happens: audio is appended to a plain 16-bit PCM
 * WAV file and the header's size fields are patched every second or so. If the app is
 * killed, the file on disk is a playable WAV missing at most the last second's header
 * update, and `repairWav` makes it exact again from the file's real length.
 */

export interface WavFormat {
  sampleRate: number;
  channels: number;
}

const BITS_PER_SAMPLE = 16;
const BYTES_PER_SAMPLE = BITS_PER_SAMPLE / 8;
/** RIFF header + `fmt ` chunk + `data` chunk header, as written by `wavHeader`. */
const HEADER_BYTES = 44;
/** The RIFF size field is 32 bits; past this the file cannot be described (~12 h here). */
const MAX_DATA_BYTES = 0xffff_ffff - (HEADER_BYTES - 8);
const KEPT = 'what was recorded so far is kept.';

function wavHeader(format: WavFormat, dataBytes: number): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  const blockAlign = format.channels * BYTES_PER_SAMPLE;
  ascii(0, 'RIFF');
  view.setUint32(4, HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.sampleRate, true);
  view.setUint32(28, format.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, BITS_PER_SAMPLE, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number) {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

export class WavStreamWriter {
  private readonly frameBytes: number;
  /** Bytes of the data chunk on disk; may end mid-frame only after a failed write. */
  private dataBytes = 0;
  private framesAtLastHeader = 0;
  /** Bytes of an incomplete frame, held back so the file always holds whole frames. */
  private partial: Uint8Array = new Uint8Array(0);
  /** Disk operations run one at a time, in call order. */
  private queue: Promise<void> = Promise.resolve();
  private failure: StorageError | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly format: WavFormat,
    private readonly headerEveryFrames: number,
  ) {
    this.frameBytes = format.channels * BYTES_PER_SAMPLE;
  }

  /**
   * Creates `path` (refusing to overwrite an existing recording) with an empty WAV header.
   * `headerEveryMs` sets how much audio may go by between automatic header updates.
   */
  static async create(
    path: string,
    format: WavFormat,
    options: { headerEveryMs?: number } = {},
  ): Promise<WavStreamWriter> {
    if (!Number.isInteger(format.sampleRate) || format.sampleRate <= 0) {
      throw new RangeError(`invalid sample rate ${format.sampleRate}`);
    }
    if (!Number.isInteger(format.channels) || format.channels <= 0) {
      throw new RangeError(`invalid channel count ${format.channels}`);
    }
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx');
    } catch (err) {
      throw toStorageError(err, path, { consequence: 'the recording could not start.' });
    }
    try {
      await writeFully(handle, wavHeader(format, 0), 0);
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw toStorageError(err, path, { consequence: 'the recording could not start.' });
    }
    const everyMs = options.headerEveryMs ?? 1000;
    const everyFrames = Math.max(1, Math.round((everyMs / 1000) * format.sampleRate));
    return new WavStreamWriter(handle, path, format, everyFrames);
  }

  /** Whole frames (one sample per channel) on disk. */
  get framesWritten(): number {
    return Math.floor(this.dataBytes / this.frameBytes);
  }

  get durationMs(): number {
    return (this.framesWritten / this.format.sampleRate) * 1000;
  }

  /**
   * Appends interleaved little-endian s16 samples. Bytes are copied before this returns, so
   * the caller may reuse its buffer. Rejects with StorageError once the disk refuses writes;
   * everything appended before that stays in the file.
   */
  append(bytes: Uint8Array): Promise<void> {
    if (this.closing) return Promise.reject(new Error('WavStreamWriter is closed'));
    const joined = new Uint8Array(this.partial.length + bytes.length);
    joined.set(this.partial, 0);
    joined.set(bytes, this.partial.length);
    const whole = joined.length - (joined.length % this.frameBytes);
    this.partial = joined.slice(whole);
    if (whole === 0) return this.enqueue(async () => undefined);
    const frames = joined.subarray(0, whole);
    return this.enqueue(async () => {
      if (this.dataBytes + frames.length > MAX_DATA_BYTES) {
        throw new StorageError(
          'io',
          `The recording reached the WAV size limit (4 GB); ${KEPT}`,
          this.path,
        );
      }
      await this.writeData(frames);
      if (this.framesWritten - this.framesAtLastHeader >= this.headerEveryFrames) {
        await this.writeHeader();
      }
    });
  }

  /** Makes the header's sizes match the audio written so far. */
  flushHeader(): Promise<void> {
    // After close() the final header is (or is about to be) written; nothing left to do.
    if (this.closing) return Promise.resolve();
    return this.enqueue(() => this.writeHeader());
  }

  /**
   * Writes the final header, syncs and closes. A trailing partial frame is dropped: half a
   * sample pair cannot be played. Safe to call more than once, and after a failure.
   */
  close(): Promise<void> {
    this.closing ??= this.queue.then(async () => {
      try {
        if (!this.failure) {
          await this.writeHeader();
          await this.handle.sync();
        }
      } catch (err) {
        this.failure = toStorageError(err, this.path, { consequence: KEPT });
      } finally {
        await this.handle.close().catch(() => undefined);
      }
      if (this.failure) throw this.failure;
    });
    return this.closing;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.failure) throw this.failure;
      try {
        await op();
      } catch (err) {
        this.failure = toStorageError(err, this.path, { consequence: KEPT });
        // The header usually still fits (it is rewritten in place), so the audio already on
        // disk stays playable even when the disk is full.
        await this.writeHeader().catch(() => undefined);
        throw this.failure;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeData(frames: Uint8Array): Promise<void> {
    // Counted per write call: a short write followed by a failure can leave half a frame on
    // disk. The header only ever counts whole frames, and repairWav trims the rest.
    let done = 0;
    while (done < frames.length) {
      const position = HEADER_BYTES + this.dataBytes;
      const { bytesWritten } = await this.handle.write(
        frames,
        done,
        frames.length - done,
        position,
      );
      done += bytesWritten;
      this.dataBytes += bytesWritten;
    }
  }

  private async writeHeader(): Promise<void> {
    const frames = this.framesWritten;
    await writeFully(this.handle, wavHeader(this.format, frames * this.frameBytes), 0);
    this.framesAtLastHeader = frames;
  }
}

export interface WavRepairResult {
  durationMs: number;
  /** True when the header or length had to change. */
  repaired: boolean;
}

interface ParsedHeader {
  sampleRate: number;
  blockAlign: number;
  dataOffset: number;
}

function parseHeader(bytes: Uint8Array): ParsedHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let sampleRate = 0;
  let blockAlign = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ' && offset + 24 <= bytes.length) {
      sampleRate = view.getUint32(offset + 12, true);
      blockAlign = view.getUint16(offset + 20, true);
    }
    if (id === 'data') {
      return sampleRate > 0 && blockAlign > 0
        ? { sampleRate, blockAlign, dataOffset: offset + 8 }
        : undefined;
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/**
 * Fixes a WAV left behind by a killed writer: the data chunk is taken to run to the end of
 * the file (WavStreamWriter always writes it last), a trailing partial frame is cut off and
 * the size fields are rewritten. When the header itself never made it to disk, `expected`
 * supplies the format so the file can still be opened.
 */
export async function repairWav(path: string, expected?: WavFormat): Promise<WavRepairResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (err) {
    throw toStorageError(err, path, { consequence: 'the recording could not be repaired.' });
  }
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    let header = parseHeader(head);
    let rewriteHeader = false;
    if (!header) {
      if (!expected) {
        throw new StorageError('corrupt', `${path} is not a WAV file this app can repair.`, path);
      }
      header = {
        sampleRate: expected.sampleRate,
        blockAlign: expected.channels * BYTES_PER_SAMPLE,
        dataOffset: HEADER_BYTES,
      };
      rewriteHeader = true;
    }
    const available = Math.max(0, size - header.dataOffset);
    const dataBytes = Math.min(available - (available % header.blockAlign), MAX_DATA_BYTES);
    const view = new DataView(head.buffer);
    const riffSize = header.dataOffset - 8 + dataBytes;
    const sizesStale =
      rewriteHeader ||
      view.getUint32(4, true) !== riffSize ||
      view.getUint32(header.dataOffset - 4, true) !== dataBytes;
    const lengthWrong = size !== header.dataOffset + dataBytes;

    if (rewriteHeader && expected) {
      await writeFully(handle, wavHeader(expected, dataBytes), 0);
    } else if (sizesStale) {
      const field = new Uint8Array(4);
      new DataView(field.buffer).setUint32(0, riffSize, true);
      await writeFully(handle, field, 4);
      new DataView(field.buffer).setUint32(0, dataBytes, true);
      await writeFully(handle, field, header.dataOffset - 4);
    }
    if (lengthWrong) await handle.truncate(header.dataOffset + dataBytes);
    if (sizesStale || lengthWrong) await handle.sync();

    const frames = dataBytes / header.blockAlign;
    return { durationMs: (frames / header.sampleRate) * 1000, repaired: sizesStale || lengthWrong };
  } catch (err) {
    throw toStorageError(err, path, { consequence: 'the recording could not be repaired.' });
  } finally {
    await handle.close().catch(() => undefined);
  }
}
