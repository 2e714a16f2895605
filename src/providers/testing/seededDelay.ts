/** Deterministic pseudo-random delays (mulberry32) so fake providers behave the same every run. */
export function seededDelays(seed: number, minMs: number, maxMs: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return minMs + unit * (maxMs - minMs);
  };
}

/** Kept under its old name for the fakes and the fake OpenAI server. */
export { abortableSleep as sleep } from '../abortableSleep';
