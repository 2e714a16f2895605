import { describe, expect, it } from 'vitest';
import { computeRoundSummary, countFillerWords } from '../../../src/core/summary';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';

let id = 0;
function turn(speaker: Turn['speaker'], startMs: number, endMs: number, text: string | null): Turn {
  return { id: `t${++id}`, speaker, startMs: millis(startMs), endMs: millis(endMs), text };
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('computeRoundSummary', () => {
  it('adds up talk time and turns per speaker', () => {
    const summary = computeRoundSummary(
      [
        turn('interviewer', 0, 5_000, 'Hello.'),
        turn('candidate', 6_000, 36_000, words(50)),
        turn('interviewer', 37_000, 40_000, 'Why?'),
        turn('candidate', 41_000, 71_000, words(50)),
      ],
      80_000,
    );
    expect(summary).toMatchObject({
      durationMs: 80_000,
      candidateTalkMs: 60_000,
      interviewerTalkMs: 8_000,
      candidateTurns: 2,
      interviewerTurns: 2,
    });
  });

  it('finds the longest pause between consecutive turns, whatever their order', () => {
    const summary = computeRoundSummary(
      [
        turn('candidate', 10_000, 20_000, null),
        turn('interviewer', 0, 4_000, null),
        turn('interviewer', 27_500, 30_000, null), // 7.5 s after the candidate
        turn('candidate', 31_000, 32_000, null),
      ],
      40_000,
    );
    expect(summary.longestPauseMs).toBe(7_500);
  });

  it('counts overlap (barge-in) as no pause', () => {
    const summary = computeRoundSummary(
      [turn('interviewer', 0, 5_000, 'Hi.'), turn('candidate', 4_000, 8_000, 'hm')],
      8_000,
    );
    expect(summary.longestPauseMs).toBe(0);
  });

  it('computes words per minute over transcribed candidate talk only', () => {
    const summary = computeRoundSummary(
      [
        turn('interviewer', 0, 60_000, words(500)), // interviewer words do not count
        turn('candidate', 60_000, 90_000, words(60)), // 30 s
        turn('candidate', 100_000, 130_000, words(90)), // 30 s
        turn('candidate', 140_000, 200_000, null), // untranscribed: excluded
      ],
      200_000,
    );
    expect(summary.transcriptAvailable).toBe(true);
    expect(summary.wordsPerMinute).toBe(150); // 150 words in 1 minute
    expect(summary.candidateTalkMs).toBe(120_000);
  });

  it('does not count punctuation-only tokens as words', () => {
    const summary = computeRoundSummary(
      [turn('candidate', 0, 60_000, 'So — yes , I think ... 42 percent')],
      60_000,
    );
    expect(summary.wordsPerMinute).toBe(6);
  });

  it('sums filler words across the candidate turns', () => {
    const summary = computeRoundSummary(
      [
        turn('interviewer', 0, 1000, 'Um, like, basically go.'),
        turn('candidate', 1000, 31_000, 'Um, I mean, it is like, you know, a log.'),
        turn('candidate', 32_000, 62_000, 'Basically, um, append only. Like that.'),
      ],
      62_000,
    );
    expect(summary.fillerWords).toEqual({
      total: 7,
      byWord: { um: 2, 'i mean': 1, like: 2, 'you know': 1, basically: 1 },
    });
  });

  it('without a transcript reports no words-based figures', () => {
    const summary = computeRoundSummary(
      [turn('interviewer', 0, 5_000, 'Hello there.'), turn('candidate', 6_000, 30_000, null)],
      30_000,
    );
    expect(summary.transcriptAvailable).toBe(false);
    expect(summary.wordsPerMinute).toBeNull();
    expect(summary.fillerWords).toBeNull();
    // Timing figures do not depend on a transcript.
    expect(summary.candidateTalkMs).toBe(24_000);
  });

  it('summarizes an empty round', () => {
    expect(computeRoundSummary([], 0)).toEqual({
      durationMs: 0,
      candidateTalkMs: 0,
      interviewerTalkMs: 0,
      candidateTurns: 0,
      interviewerTurns: 0,
      longestPauseMs: 0,
      transcriptAvailable: false,
      wordsPerMinute: null,
      fillerWords: null,
    });
  });
});

describe('countFillerWords', () => {
  it('counts whole fillers, case-insensitively, ignoring punctuation', () => {
    expect(countFillerWords('Um... UH, erm: er!')).toEqual({ um: 1, uh: 1, erm: 1, er: 1 });
  });

  it('does not count fillers inside other words', () => {
    expect(countFillerWords('I likely understand; the summary was actual, very umbrella')).toEqual(
      {},
    );
  });

  it('counts multi-word fillers once, not also as their parts', () => {
    expect(countFillerWords('it is kind of like, sort of, you know')).toEqual({
      'kind of': 1,
      like: 1,
      'sort of': 1,
      'you know': 1,
    });
  });

  it('counts every repeat, adjacent or apart', () => {
    expect(countFillerWords('um um um')).toEqual({ um: 3 });
    expect(countFillerWords('So um I think um yes um')).toEqual({ um: 3 });
    expect(countFillerWords('like a like b like')).toEqual({ like: 3 });
  });
});
