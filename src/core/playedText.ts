/**
 * When the candidate interrupts, only the words actually heard belong in the transcript.
 * Sentences are synthesized one by one, so each sentence's length in samples is known;
 * inside the sentence that was cut, words are apportioned by the share of it played.
 */
export interface SpokenSentence {
  text: string;
  samples: number;
}

export function textPlayedUpTo(
  sentences: readonly SpokenSentence[],
  playedSamples: number,
): string {
  const out: string[] = [];
  let offset = 0;
  for (const sentence of sentences) {
    // No audio yet (queued for speech when the candidate cut in): not heard.
    if (sentence.samples === 0) continue;
    if (playedSamples >= offset + sentence.samples) {
      out.push(sentence.text);
      offset += sentence.samples;
      continue;
    }
    const share = sentence.samples > 0 ? (playedSamples - offset) / sentence.samples : 0;
    const words = sentence.text.split(/\s+/).filter(Boolean);
    const heard = Math.floor(words.length * Math.max(0, share));
    if (heard > 0) out.push(`${words.slice(0, heard).join(' ')}…`);
    break;
  }
  return out.join(' ');
}
