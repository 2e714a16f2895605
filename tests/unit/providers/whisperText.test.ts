import { describe, expect, it } from 'vitest';
import { spokenText } from '../../../src/providers/local/whisperText';

describe('spokenText: only what was said, from whisper’s segments', () => {
  it('joins segments into one line of words', () => {
    expect(spokenText([' We partition by key', ' and replicate   each partition.'])).toBe(
      'We partition by key and replicate each partition.',
    );
  });

  it('drops the captions whisper writes for silence, music and noises', () => {
    expect(spokenText([' [BLANK_AUDIO]'])).toBe('');
    expect(
      spokenText([' (keyboard clicking)', ' So the leader', ' [Music] ♪ acks the write.']),
    ).toBe('So the leader acks the write.');
    expect(spokenText([' *sighs* Um, the ISR shrinks.'])).toBe('Um, the ISR shrinks.');
  });

  it('keeps code-like words with brackets, and never drops words across segments', () => {
    expect(spokenText([' Lookup is O(log n) and insert is O(n), hash(key) picks a[i].'])).toBe(
      'Lookup is O(log n) and insert is O(n), hash(key) picks a[i].',
    );
    expect(spokenText([' The offset (well,', ' it depends)', ' matters.'])).toBe(
      'The offset (well, it depends) matters.',
    );
  });

  it('keeps words, fillers and punctuation as they are', () => {
    expect(spokenText([' Uh, so... I think, like, exactly-once needs idempotence?'])).toBe(
      'Uh, so... I think, like, exactly-once needs idempotence?',
    );
  });
});
