import { readFile } from 'node:fs/promises';

/** What a plain 44-byte-header PCM WAV says about itself, read independently of src/. */
export interface WavOnDisk {
  fileBytes: number;
  riffSize: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  dataSize: number;
  data: Uint8Array;
}

export async function readWav(path: string): Promise<WavOnDisk> {
  const bytes = new Uint8Array(await readFile(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || tag(12) !== 'fmt ' || tag(36) !== 'data') {
    throw new Error(`${path} does not have the expected 44-byte WAV header`);
  }
  return {
    fileBytes: bytes.length,
    riffSize: view.getUint32(4, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    blockAlign: view.getUint16(32, true),
    dataSize: view.getUint32(40, true),
    data: bytes.subarray(44),
  };
}

/** `frames` stereo s16 frames whose bytes count up, so misplaced bytes are detectable. */
export function rampFrames(frames: number, start = 0): Uint8Array {
  const bytes = new Uint8Array(frames * 4);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (start + i) % 251;
  return bytes;
}
