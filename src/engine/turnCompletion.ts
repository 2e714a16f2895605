/**
 * How the candidate's words so far end, judged from the live transcript of the turn:
 * a pause after "…so I would partition by key and" is someone thinking, a pause after
 * "…so ordering holds per partition." is someone who has answered.
 *
 * - `unfinished`: the text trails off (a conjunction, a filler, "…", a comma) or, in a
 *   transcript that punctuates, lacks closing punctuation.
 * - `finished`: closing punctuation after a word that can end a sentence.
 * - `unknown`: nothing to judge by (no speech-to-text, or an empty transcript).
 */
export type TurnEnding = 'finished' | 'unfinished' | 'unknown';

/**
 * Words after which an English sentence is almost never complete. Transcribers often put
 * a full stop after them anyway ("…by key and."), so they count even when punctuated.
 */
const TRAILING = new Set([
  // conjunctions
  'and',
  'or',
  'but',
  'so',
  'because',
  'cause',
  'although',
  'though',
  'whereas',
  'unless',
  'if',
  // articles and the prepositions that rarely end a sentence: cut before the noun
  'the',
  'a',
  'an',
  'of',
  'with',
  // fillers
  'um',
  'umm',
  'uh',
  'uhh',
  'er',
  'erm',
  'hmm',
]);

/** "I think so." is an answer; "…and so" is not. */
const SO_ENDS_A_SENTENCE = new Set(['think', 'hope', 'guess', 'believe', 'say', 'said', 'not']);

export function judgeTurnEnding(text: string | null): TurnEnding {
  const trimmed = (text ?? '').trim();
  if (!trimmed) return 'unknown';
  if (/(\.\.\.|…|[,;:\-–—])["'”’)\]]*$/.test(trimmed)) return 'unfinished';
  const words = trimmed.toLowerCase().match(/[a-z']+/g);
  const last = words?.at(-1)?.replace(/'+$/, '');
  const before = words?.at(-2) ?? '';
  if (last === 'so' && SO_ENDS_A_SENTENCE.has(before)) return 'finished';
  if (last && TRAILING.has(last)) return 'unfinished';
  // A transcriber that punctuates nothing tells nothing by a missing full stop.
  const punctuates = /[.?!,;]/.test(trimmed);
  if (punctuates && !/[.?!]["'”’)\]]*$/.test(trimmed)) return 'unfinished';
  return 'finished';
}
