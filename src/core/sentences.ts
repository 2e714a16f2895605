/**
 * Splits streamed text into whole sentences so speech can start on the first sentence
 * instead of waiting for the whole reply. A trailing fragment is held back until it is
 * a sentence (or the stream ends).
 */
export class SentenceChunker {
  private pending = '';
  private readonly segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

  /** Add streamed text; returns the sentences it completed. */
  push(delta: string): string[] {
    this.pending += delta;
    const segments = [...this.segmenter.segment(this.pending)].map((s) => s.segment);
    if (segments.length < 2) return [];
    // The last segment may still grow; everything before it is final.
    const done = segments.slice(0, -1);
    this.pending = segments[segments.length - 1] ?? '';
    return done.map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** The stream ended: whatever is left is the last sentence. */
  flush(): string[] {
    const rest = this.pending.trim();
    this.pending = '';
    return rest ? [rest] : [];
  }
}

export function splitSentences(text: string): string[] {
  const chunker = new SentenceChunker();
  return [...chunker.push(text), ...chunker.flush()];
}
