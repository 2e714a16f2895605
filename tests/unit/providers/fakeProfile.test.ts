import { describe, expect, it } from 'vitest';
import {
  countSpeechStretches,
  FakeStreamingTranscriber,
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

  it('hands out the script one stretch per piece, in order, across turns', async () => {
    const usage: number[] = [];
    const stt = new SegmentSpeechToText(
      [['by key and', 'then replicate.'], ['Sorry.']],
      0,
      1,
      (u) => usage.push(u.audioSeconds ?? 0),
    );
    expect(await stt.transcribe(join(silence(0.1), speech(1)), {})).toBe('by key and');
    expect(await stt.transcribe(join(speech(1), silence(0.1)), {})).toBe('then replicate.');
    // A piece with nothing loud in it (echo, a click) gets nothing and keeps the script.
    expect(await stt.transcribe(silence(0.5), {})).toBe('');
    expect(await stt.transcribe(speech(1, 5), {})).toBe('Sorry.');
    // Two stretches in one piece (a pause the detector bridged): both.
    expect(await stt.transcribe(join(speech(1), silence(1), speech(1)), {})).toBe(
      'by key and then replicate.',
    );
    expect(usage.map((s) => s.toFixed(1))).toEqual(['1.1', '1.1', '0.5', '1.0', '3.0']);
  });
});

describe('FakeStreamingTranscriber (the streaming profile)', () => {
  it('reports the words spoken so far while a stretch is spoken, its final text after', async () => {
    const seen: [number, string][] = [];
    const stt = new FakeStreamingTranscriber([['one two three four', 'five six']], [[2000, 1000]], {
      interimEveryMs: 20,
      finalMs: 30,
    });
    stt.onInterim((piece, text) => seen.push([piece, text]));
    stt.append(speech(1));
    await new Promise((r) => setTimeout(r, 60));
    // Half of the stretch's two seconds heard: half its words.
    expect(seen.at(-1)).toEqual([0, 'one two']);
    stt.append(speech(1));
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.at(-1)).toEqual([0, 'one two three four']);
    const started = Date.now();
    expect(await stt.commit({})).toBe('one two three four');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    stt.append(speech(1));
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.at(-1)).toEqual([1, 'five six']);
    expect(await stt.commit({})).toBe('five six');
    stt.close();
  });
});
