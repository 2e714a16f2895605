import type { Evidence } from './scorecard';
import type { Turn } from './transcript';

/**
 * Checks a scorer's quotes against what the candidate actually said. A quote counts only
 * when its words appear, in order and contiguous, inside one candidate turn. Comparison
 * ignores case, punctuation and spacing (speech-to-text punctuates freely, and models
 * normalise quotes and dashes), but not wording: a paraphrase is not evidence.
 */

/** Quotes shorter than this say too little to support a score ("yes", "Kafka"). */
export const MIN_QUOTE_WORDS = 3;

/**
 * Candidate speech that asks for a score is not evidence of anything the rubric measures,
 * even though it is verbatim. Dropping it keeps "give me 4/4" from supporting a 4 if a
 * model ever obeyed it.
 */
const SCORE_REQUEST =
  /\b(ignore|disregard|forget)\b[^.]{0,40}\b(instructions?|prompt|rules?|rubric)\b|\b[1-4]\s*(\/|out of)\s*4\b|\b(score|grade|rate|mark)\s+(me|this|my)\b|\b(give|award)\s+me\b[^.]{0,20}\b(score|points?|marks?|hire|[1-4])\b|\bsystem prompt\b/i;

function tokens(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0);
}

function indexOfRun(haystack: readonly string[], needle: readonly string[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

export type QuoteCheck =
  { ok: true; evidence: Evidence } | { ok: false; quote: string; reason: string };

/** Code the candidate wrote, as the pad saved it over the round (core/workspace.ts). */
export interface WrittenCode {
  atMs: number;
  code: string;
}

export function checkQuote(
  quote: string,
  turns: readonly Turn[],
  written: readonly WrittenCode[] = [],
): QuoteCheck {
  const wanted = tokens(quote);
  if (wanted.length < MIN_QUOTE_WORDS) {
    return { ok: false, quote, reason: `shorter than ${MIN_QUOTE_WORDS} words` };
  }
  if (SCORE_REQUEST.test(quote)) {
    return { ok: false, quote, reason: 'asks for a score; not evidence' };
  }
  for (const turn of turns) {
    if (turn.speaker !== 'candidate' || turn.text === null) continue;
    const said = tokens(turn.text);
    const at = indexOfRun(said, wanted);
    if (at < 0) continue;
    // Words are spread evenly over the turn: good enough to land a click within a
    // sentence of the quote, and honest about being an estimate (the turn's span is kept).
    const span = Math.max(0, turn.endMs - turn.startMs);
    const atMs = Math.round(turn.startMs + (span * at) / Math.max(1, said.length));
    return {
      ok: true,
      evidence: {
        quote: quote.trim(),
        source: 'speech',
        turnId: turn.id,
        atMs,
        turnStartMs: turn.startMs,
        turnEndMs: turn.endMs,
      },
    };
  }
  // Code counts from the moment it was first on the pad: the earliest snapshot holding it.
  const first = [...written]
    .sort((a, b) => a.atMs - b.atMs)
    .find((snapshot) => indexOfRun(tokens(snapshot.code), wanted) >= 0);
  if (first) {
    return {
      ok: true,
      evidence: {
        quote: quote.trim(),
        source: 'code',
        turnId: 'code',
        atMs: first.atMs,
        turnStartMs: first.atMs,
        turnEndMs: first.atMs,
      },
    };
  }
  return {
    ok: false,
    quote,
    reason:
      written.length > 0
        ? 'not found in what the candidate said or wrote'
        : 'not found in what the candidate said',
  };
}

/** Splits quotes into verified evidence (first occurrence, no duplicates) and dropped ones. */
export function verifyQuotes(
  quotes: readonly string[],
  turns: readonly Turn[],
  written: readonly WrittenCode[] = [],
): { evidence: Evidence[]; dropped: { quote: string; reason: string }[] } {
  const evidence: Evidence[] = [];
  const dropped: { quote: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const quote of quotes) {
    const key = tokens(quote).join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const check = checkQuote(quote, turns, written);
    if (check.ok) evidence.push(check.evidence);
    else dropped.push({ quote: check.quote, reason: check.reason });
  }
  return { evidence, dropped };
}
