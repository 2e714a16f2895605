import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Spoken WAV fixtures with known words and timing, made with espeak-ng and sox (the
 * ground truth comes from how the file was built, not from the app's logs).
 */
export type Segment = { silence: number } | { say: string };

export interface SpeechFixture {
  path: string;
  /** Where each spoken segment starts and ends in the file, in seconds. */
  spoken: { text: string; start: number; end: number }[];
  duration: number;
}

const RATE = 22050;

function duration(path: string): number {
  return Number(execFileSync('soxi', ['-D', path]).toString().trim());
}

export function buildSpeechFixture(segments: Segment[]): SpeechFixture {
  const dir = mkdtempSync(join(tmpdir(), 'mockloop-fixture-'));
  const parts: string[] = [];
  const spoken: SpeechFixture['spoken'] = [];
  let t = 0;
  segments.forEach((segment, i) => {
    const part = join(dir, `part-${i}.wav`);
    if ('silence' in segment) {
      execFileSync('sox', [
        '-n',
        '-r',
        String(RATE),
        '-c',
        '1',
        '-b',
        '16',
        part,
        'trim',
        '0',
        String(segment.silence),
      ]);
    } else {
      const raw = join(dir, `raw-${i}.wav`);
      execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', raw, segment.say]);
      // espeak pads its output with silence: trimmed, so start and end are the speech's own.
      execFileSync('sox', [
        raw,
        '-r',
        String(RATE),
        '-c',
        '1',
        '-b',
        '16',
        part,
        ...['silence', '1', '0.01', '0.3%', 'reverse', 'silence', '1', '0.01', '0.3%', 'reverse'],
      ]);
    }
    const d = duration(part);
    if ('say' in segment) spoken.push({ text: segment.say, start: t, end: t + d });
    t += d;
    parts.push(part);
  });
  const path = join(dir, 'answer.wav');
  execFileSync('sox', [...parts, path]);
  return { path, spoken, duration: duration(path) };
}
