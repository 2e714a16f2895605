/**
 * Minimal WAV (RIFF, PCM 16-bit) encoding and header parsing. Pure functions, no I/O: the
 * speech-to-text upload wraps candidate PCM in a WAV so any OpenAI-compatible server can
 * identify the format, and tests read WAVs back to check what was sent.
 */

const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const FMT_PCM_BYTES = 16;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of sample data actually present (clamped to the file when the header overstates). */
  dataBytes: number;
}

/** Encodes interleaved signed 16-bit samples as a canonical 44-byte-header WAV file. */
export function encodeWavPcm16(
  samples: Int16Array,
  sampleRate: number,
  channels: number,
): Uint8Array {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new RangeError(`channels must be a positive integer, got ${channels}`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 1) {
    throw new RangeError(`sampleRate must be a positive integer, got ${sampleRate}`);
  }
  if (samples.length % channels !== 0) {
    throw new RangeError(`${samples.length} samples do not divide into ${channels} channels`);
  }
  const dataBytes = samples.length * 2;
  const headerBytes = RIFF_HEADER_BYTES + CHUNK_HEADER_BYTES + FMT_PCM_BYTES + CHUNK_HEADER_BYTES;
  const bytes = new Uint8Array(headerBytes + dataBytes);
  const view = new DataView(bytes.buffer);
  const blockAlign = channels * 2;

  writeTag(view, 0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  writeTag(view, 8, 'WAVE');
  writeTag(view, 12, 'fmt ');
  view.setUint32(16, FMT_PCM_BYTES, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true);
  writeTag(view, 36, 'data');
  view.setUint32(40, dataBytes, true);
  // WAV is little-endian whatever the host is, so write sample by sample.
  for (let i = 0; i < samples.length; i++) {
    view.setInt16(headerBytes + i * 2, samples[i] ?? 0, true);
  }
  return bytes;
}

/**
 * Reads the format and data location of a PCM WAV. Walks the chunk list, so extra chunks
 * (LIST, fact, ...) before `data` are skipped. Throws an Error saying what is wrong.
 */
export function parseWavHeader(bytes: Uint8Array): WavInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    bytes.length < RIFF_HEADER_BYTES ||
    readTag(view, 0) !== 'RIFF' ||
    readTag(view, 8) !== 'WAVE'
  ) {
    throw new Error('not a WAV file: missing RIFF/WAVE header');
  }
  let format: Omit<WavInfo, 'dataOffset' | 'dataBytes'> | undefined;
  let offset = RIFF_HEADER_BYTES;
  while (offset + CHUNK_HEADER_BYTES <= bytes.length) {
    const id = readTag(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + CHUNK_HEADER_BYTES;
    if (id === 'fmt ') {
      if (size < FMT_PCM_BYTES || body + FMT_PCM_BYTES > bytes.length) {
        throw new Error('WAV fmt chunk is truncated');
      }
      const formatTag = view.getUint16(body, true);
      if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_EXTENSIBLE) {
        throw new Error(`WAV is not PCM (format tag ${formatTag})`);
      }
      format = {
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk comes before its fmt chunk');
      // Streamed WAVs often carry a placeholder size; trust the bytes we actually have.
      return { ...format, dataOffset: body, dataBytes: Math.min(size, bytes.length - body) };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw new Error(format ? 'WAV has no data chunk' : 'WAV has no fmt chunk');
}

/** Reads a 16-bit PCM WAV back into interleaved samples. */
export function decodeWavPcm16(bytes: Uint8Array): { samples: Int16Array; info: WavInfo } {
  const info = parseWavHeader(bytes);
  if (info.bitsPerSample !== 16) {
    throw new Error(`WAV has ${info.bitsPerSample}-bit samples; only 16-bit is supported`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, info.dataBytes);
  const samples = new Int16Array(Math.floor(info.dataBytes / 2));
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return { samples, info };
}

function writeTag(view: DataView, offset: number, tag: string): void {
  for (let i = 0; i < 4; i++) view.setUint8(offset + i, tag.charCodeAt(i));
}

function readTag(view: DataView, offset: number): string {
  let tag = '';
  for (let i = 0; i < 4; i++) tag += String.fromCharCode(view.getUint8(offset + i));
  return tag;
}
