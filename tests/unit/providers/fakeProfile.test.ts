import { describe, expect, it } from 'vitest';
import {
  countSpeechStretches,
  SegmentSpeechToText,
} from '../../../src/providers/testing/fakeProfile';

const RATE = 24_000;
const speech = (s: number, seed = 0) =>
  Int16Array.from({ length: s * RATE }, (_, i) => Math.round(8000 * Math.sin((i + seed) / 3)));
const silence = (s: number) => new Int16Array(s * RATE);
const join = (...parts: Int16Array[]) => {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('SegmentSpeechToText (the benchmark fake)', () => {
  it('counts stretches of speech split by pauses', () => {
    expect(countSpeechStretches(join(silence(0.3), speech(1), silence(3), speech(1)))).toBe(2);
    expect(countSpeechStretches(join(speech(1), silence(0.1), speech(1)))).toBe(1);
  });

  it('hears a draft of the turn so far, then the whole turn, then the next turn', async () => {
    const stt = new SegmentSpeechToText([['by key and', 'then replicate.'], ['Sorry.']], 0);
    const first = join(silence(0.3), speech(1));
    expect(await stt.transcribe(first, {})).toBe('by key and');
    expect(await stt.transcribe(join(first, silence(3), speech(1)), {})).toBe(
      'by key and then replicate.',
    );
    expect(await stt.transcribe(join(speech(1, 5), silence(0.3)), {})).toBe('Sorry.');
  });
});
