import { splitSentences } from './sentences';
import type { Turn } from './transcript';

/**
 * Where each sentence of a turn falls in the recording. Turns are timed exactly; the
 * sentences inside them are not (speech-to-text gives no word times here), so a turn's
 * time is shared out in proportion to each sentence's length. Good enough to follow
 * along and to seek to the start of a sentence; the replay says it is an estimate.
 */
export interface TimedSentence {
  index: number;
  text: string;
  startMs: number;
  endMs: number;
}

export function sentenceTimeline(turn: Turn): TimedSentence[] {
  if (!turn.text) return [];
  const sentences = splitSentences(turn.text);
  const weights = sentences.map((s) => Math.max(1, s.replace(/\s+/g, '').length));
  const total = weights.reduce((a, b) => a + b, 0);
  const span = Math.max(0, turn.endMs - turn.startMs);
  let at: number = turn.startMs;
  return sentences.map((text, index) => {
    const startMs = at;
    at = index === sentences.length - 1 ? turn.endMs : at + (span * weights[index]!) / total;
    return { index, text, startMs, endMs: at };
  });
}

export interface PlayPosition {
  /** The turn being played, or the one just before the playhead in a pause. */
  turnId: string | null;
  sentenceIndex: number | null;
}

/** `turns` sorted by start; `timelines[i]` belongs to `turns[i]`. */
export function positionAt(
  turns: readonly Turn[],
  timelines: readonly TimedSentence[][],
  ms: number,
): PlayPosition {
  let lo = 0;
  let hi = turns.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (turns[mid]!.startMs <= ms) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return { turnId: null, sentenceIndex: null };
  const turn = turns[found]!;
  if (ms > turn.endMs) return { turnId: null, sentenceIndex: null };
  const sentence = (timelines[found] ?? []).find((s) => ms < s.endMs) ?? null;
  return { turnId: turn.id, sentenceIndex: sentence ? sentence.index : null };
}

/** Start of the next turn after `ms` (with a little slack so a press at a start moves on). */
export function nextTurnStart(turns: readonly Turn[], ms: number): number | null {
  const next = turns.find((t) => t.startMs > ms + 250);
  return next ? next.startMs : null;
}

/**
 * Start of the previous turn. Within the first second of a turn this goes to the turn
 * before it, like a music player's "previous".
 */
export function previousTurnStart(turns: readonly Turn[], ms: number): number {
  let target = 0;
  for (const t of turns) {
    if (t.startMs < ms - 1000) target = t.startMs;
    else break;
  }
  return target;
}
