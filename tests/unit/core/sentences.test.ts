import { describe, expect, it } from 'vitest';
import { SentenceChunker, splitSentences } from '../../../src/core/sentences';

describe('SentenceChunker', () => {
  it('holds back a fragment until the next sentence begins', () => {
    const chunker = new SentenceChunker();
    expect(chunker.push('Hello ')).toEqual([]);
    expect(chunker.push('there.')).toEqual([]);
    // Even a finished-looking sentence waits: the stream may still extend it.
    expect(chunker.push(' ')).toEqual([]);
    expect(chunker.push('How are')).toEqual(['Hello there.']);
    expect(chunker.push(' you? I am')).toEqual(['How are you?']);
    expect(chunker.flush()).toEqual(['I am']);
  });

  it('returns every sentence a single push completes, trimmed', () => {
    const chunker = new SentenceChunker();
    expect(chunker.push('  One.  Two!   Three? Four')).toEqual(['One.', 'Two!', 'Three?']);
    expect(chunker.flush()).toEqual(['Four']);
  });

  it('does not split a decimal number that arrives in pieces', () => {
    const chunker = new SentenceChunker();
    expect(chunker.push('It takes 2.')).toEqual([]);
    expect(chunker.push('5 seconds. ')).toEqual([]);
    expect(chunker.push('Then')).toEqual(['It takes 2.5 seconds.']);
  });

  it('flush empties the buffer; a blank remainder yields nothing', () => {
    const chunker = new SentenceChunker();
    chunker.push('Done.');
    expect(chunker.flush()).toEqual(['Done.']);
    expect(chunker.flush()).toEqual([]);
    chunker.push('   ');
    expect(chunker.flush()).toEqual([]);
    // Reusable after a flush.
    expect(chunker.push('A. B')).toEqual(['A.']);
  });
});

describe('splitSentences', () => {
  it('splits whole text including the unterminated tail', () => {
    expect(splitSentences('Why append only? Say more.  And then')).toEqual([
      'Why append only?',
      'Say more.',
      'And then',
    ]);
    expect(splitSentences('')).toEqual([]);
  });
});
