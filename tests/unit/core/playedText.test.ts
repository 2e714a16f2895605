import { describe, expect, it } from 'vitest';
import { textPlayedUpTo, type SpokenSentence } from '../../../src/core/playedText';

const sentences: SpokenSentence[] = [
  { text: 'Why append only?', samples: 1000 },
  { text: 'Say more about the page cache.', samples: 3000 },
  { text: 'Take your time.', samples: 500 },
];

describe('textPlayedUpTo', () => {
  it('keeps whole sentences that were played in full', () => {
    expect(textPlayedUpTo(sentences, 1000)).toBe('Why append only?');
    expect(textPlayedUpTo(sentences, 4000)).toBe('Why append only? Say more about the page cache.');
  });

  it('keeps the played share of the cut sentence, rounded down, marked with an ellipsis', () => {
    // 6 words, half played: 3 words.
    expect(textPlayedUpTo(sentences, 2500)).toBe('Why append only? Say more about…');
    // 6 words, 1/6 + a bit played: 1 word.
    expect(textPlayedUpTo(sentences, 1000 + 501)).toBe('Why append only? Say…');
    // Less than one word's share: nothing of it.
    expect(textPlayedUpTo(sentences, 1000 + 499)).toBe('Why append only?');
    // Inside the first sentence: 3 words, 2/3 played.
    expect(textPlayedUpTo(sentences, 667)).toBe('Why append…');
  });

  it('gives nothing when nothing was played, and everything when all was', () => {
    expect(textPlayedUpTo(sentences, 0)).toBe('');
    expect(textPlayedUpTo(sentences, 4500)).toBe(
      'Why append only? Say more about the page cache. Take your time.',
    );
    expect(textPlayedUpTo(sentences, 1e9)).toBe(
      'Why append only? Say more about the page cache. Take your time.',
    );
    expect(textPlayedUpTo([], 100)).toBe('');
  });

  it('stops at a sentence whose audio has not arrived yet', () => {
    const streaming = [
      { text: 'First one.', samples: 100 },
      { text: 'Second one here.', samples: 0 },
    ];
    expect(textPlayedUpTo(streaming, 100)).toBe('First one.');
  });
});
