import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The latency benchmark's audio: the candidate's scripted turns as one 24 kHz mono WAV
 * whose speech start and end samples are known from how it was built, and the fake
 * interviewer's voice. Built with espeak-ng and sox, like the tests' speech fixtures.
 */
export const RATE = 24_000;

/** Samples below this (-40 dBFS) are the silence around a spoken segment. */
const EDGE_LEVEL = 328;

export function speak(dir: string, name: string, text: string, speed = 160): Int16Array {
  const wav = join(dir, `${name}.wav`);
  const raw = join(dir, `${name}.raw`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', String(speed), '-w', wav, text]);
  execFileSync('sox', [wav, '-r', String(RATE), '-c', '1', '-b', '16', '-e', 'signed', raw]);
  const bytes = readFileSync(raw);
  const pcm = new Int16Array(bytes.byteLength / 2);
  new Uint8Array(pcm.buffer).set(bytes.subarray(0, pcm.length * 2));
  return trim(pcm);
}

/** Cut espeak's leading and trailing silence, so a segment is speech edge to edge. */
function trim(pcm: Int16Array): Int16Array {
  let a = 0;
  let b = pcm.length;
  while (a < b && Math.abs(pcm[a]!) < EDGE_LEVEL) a++;
  while (b > a && Math.abs(pcm[b - 1]!) < EDGE_LEVEL) b--;
  return pcm.slice(a, b);
}

export interface Placed {
  kind: 'answer-start' | 'answer-end' | 'backchannel' | 'bargein';
  cycle: number;
  /** Speech start and end, in samples of the microphone file. */
  start: number;
  end: number;
}

/** Lays segments out on a timeline of silence. */
export class Timeline {
  private readonly parts: { at: number; pcm: Int16Array }[] = [];
  readonly placed: Placed[] = [];
  length = 0;

  put(atSeconds: number, pcm: Int16Array, label?: Omit<Placed, 'start' | 'end'>): number {
    const at = Math.round(atSeconds * RATE);
    this.parts.push({ at, pcm });
    if (label) this.placed.push({ ...label, start: at, end: at + pcm.length });
    this.length = Math.max(this.length, at + pcm.length);
    return (at + pcm.length) / RATE;
  }

  render(tailSeconds: number): Int16Array {
    const out = new Int16Array(this.length + Math.round(tailSeconds * RATE));
    for (const { at, pcm } of this.parts) {
      for (let i = 0; i < pcm.length; i++) {
        out[at + i] = clamp(out[at + i]! + pcm[i]!);
      }
    }
    return out;
  }
}

export function clamp(v: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(v)));
}

export function writeWav(path: string, pcm: Int16Array, channels = 1): void {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.byteLength, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2 * channels, 28);
  header.writeUInt16LE(2 * channels, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(pcm.byteLength, 40);
  writeFileSync(
    path,
    Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]),
  );
}

/**
 * The fake interviewer's voice: espeak speech with its pauses taken out and a faint
 * deterministic noise floor (about -58 dBFS) under it, so the voice itself never goes
 * digitally silent and any run of zeros in the recording is a stop or a gap in playback.
 */
export function interviewerVoice(dir: string): Int16Array {
  const speech = speak(
    dir,
    'voice',
    'Kafka keeps each partition as an ordered log of segments. Producers append to the ' +
      'leader, followers fetch from it, and the high watermark moves once the in sync ' +
      'replicas have the record. Consumers in a group divide the partitions between them ' +
      'and commit the offsets they have processed, so a restart picks up where it left off.',
    175,
  );
  const out = new Int16Array(speech.length);
  let seed = 7;
  for (let i = 0; i < speech.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const noise = ((seed >>> 16) % 81) - 40;
    out[i] = clamp(speech[i]! * 0.7 + (noise === 0 ? 13 : noise));
  }
  return out;
}
