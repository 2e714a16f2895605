import { describe, expect, it } from 'vitest';
import { CandidateAudio } from '../../../src/engine/candidateAudio';

/** Interleaved stereo frames: left = from, from+1, …; right = -1. */
function stereo(from: number, frames: number): Int16Array {
  const out = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    out[i * 2] = from + i;
    out[i * 2 + 1] = -1;
  }
  return out;
}

describe('CandidateAudio', () => {
  it('keeps only the candidate (left) channel and counts frames', () => {
    const audio = new CandidateAudio(100);
    audio.pushStereo(stereo(0, 10));
    audio.pushStereo(stereo(10, 5));
    expect(audio.totalSamples).toBe(15);
    expect([...audio.slice(0, 15)]).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('clamps a slice to what was written', () => {
    const audio = new CandidateAudio(100);
    audio.pushStereo(stereo(0, 10));
    expect([...audio.slice(8, 50)]).toEqual([8, 9]);
    expect(audio.slice(20, 30)).toHaveLength(0);
    expect(audio.slice(5, 5)).toHaveLength(0);
  });

  it('wraps around, skipping what fell out of the ring', () => {
    const audio = new CandidateAudio(8);
    audio.pushStereo(stereo(0, 20));
    expect([...audio.slice(12, 20)]).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    expect([...audio.slice(0, 14)]).toEqual([12, 13]);
  });
});
