import { describe, expect, it } from 'vitest';
import { judgeTurnEnding } from '../../../src/engine/turnCompletion';

describe('judgeTurnEnding', () => {
  it.each([
    ['Ordering holds per partition.', 'finished'],
    ['Would that work?', 'finished'],
    ['I think so.', 'finished'],
    ['ordering holds per partition', 'finished'], // a transcriber that punctuates nothing
  ])('%s → finished', (text, ending) => expect(judgeTurnEnding(text)).toBe(ending));

  it.each([
    'I would partition the topic by key and',
    'I would partition the topic by key and.',
    'So the leader, um',
    'It depends on the, uh...',
    'Because the replicas are…',
    'First the producer writes, then',
    'The broker that owns the partition. And the',
    'We pick the leader from the ISR so',
    'The segments are rolled by size, but',
  ])('%s → unfinished', (text) => expect(judgeTurnEnding(text)).toBe('unfinished'));

  it('no text tells nothing', () => {
    expect(judgeTurnEnding(null)).toBe('unknown');
    expect(judgeTurnEnding('   ')).toBe('unknown');
  });
});
