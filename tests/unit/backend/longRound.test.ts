import { describe, expect, it } from 'vitest';
import { simulateRound } from '../../../scripts/bench/longRound';

/**
 * A long round loses no audio: the same simulation the benchmark runs for an hour (and
 * reports heap growth for), over ten minutes here.
 */
describe('a long round with fake providers', () => {
  it('keeps every audio frame sent and keeps the conversation going', async () => {
    const result = await simulateRound(10);
    expect(result.lostFrames).toBe(0);
    // A candidate turn every 20 s, each answered: dozens of turns in ten minutes.
    expect(result.turns).toBeGreaterThan(40);
  }, 60_000);
});
