/**
 * Which of a question's `strongAnswer` concepts an answer touched, by plain keyword
 * matching on the transcript. It is a reading aid for comparing two attempts, not a
 * grade: it cannot tell a concept explained well from one merely named, and it says
 * which words matched so the reader can judge.
 */

const STOPWORDS = new Set(
  `a about above after again against all also an and any are as at be because been before
  being below between both but by can could did do does doing down during each few for from
  further had has have having how however i if in into is it its itself just like more most
  much must no nor not of off on once only or other our out over own same should so some
  such than that the their them then there these they this those through to too under until
  up very was way we were what when where which while who whom why will with within would
  you your yours clear clearly concrete specific explained explain explains their them
  such example examples including include based using used use uses one two three`.split(/\s+/),
);

/** A crude stem: enough that "partitions" meets "partition" and "replicated" meets "replica". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ers', 'ied', 'ies', 'ed', 'es', 's']) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w.length > 6 ? w.slice(0, 6) : w;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Content words of a concept, each once, in order. */
export function conceptKeywords(concept: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of words(concept)) {
    // Short acronyms (ISR, LEO, p99) carry meaning; short plain words rarely do.
    const keep = !STOPWORDS.has(w) && (w.length >= 4 || /\d/.test(w) || isAcronymIn(concept, w));
    if (!keep) continue;
    const s = stem(w);
    if (!seen.has(s)) {
      seen.add(s);
      out.push(w);
    }
  }
  return out;
}

function isAcronymIn(text: string, lower: string): boolean {
  return new RegExp(`\\b${lower.toUpperCase()}\\b`).test(text);
}

/** A pack concept (label + text), or a bare phrase such as a rubric's "look for" item. */
export type ConceptLike = string | { label: string; text: string };

export interface ConceptCoverage {
  /** The concept's full text. */
  concept: string;
  /** Its short label (the text itself for a bare phrase). */
  label: string;
  covered: boolean;
  /** Keywords of the concept found in the answer. */
  matched: string[];
}

/**
 * A concept counts as covered when the answer uses at least two of its keywords (or its
 * only keyword, for one-word concepts).
 */
export function conceptCoverage(
  concepts: readonly ConceptLike[],
  answer: string,
): ConceptCoverage[] {
  const said = new Set(words(answer).map(stem));
  return concepts.map((item) => {
    const concept = typeof item === 'string' ? item : item.text;
    const label = typeof item === 'string' ? item : item.label;
    const keywords = conceptKeywords(concept);
    const matched = keywords.filter((k) => said.has(stem(k)));
    const needed = Math.min(2, keywords.length);
    return { concept, label, covered: needed > 0 && matched.length >= needed, matched };
  });
}

/** At most this many words of the candidate's own phrase are quoted in a note. */
const PHRASE_WORDS = 14;

/**
 * Where in a timed sentence list the concept was said: the sentence that uses the most of
 * its matched keywords, and the candidate's words around the first of them.
 */
export function conceptPhrase(
  sentences: readonly { text: string; startMs: number }[],
  matched: readonly string[],
): { atMs: number; phrase: string } | undefined {
  const stems = new Set(matched.map(stem));
  let best: { text: string; startMs: number; hits: number } | undefined;
  for (const sentence of sentences) {
    const hits = new Set(
      words(sentence.text)
        .map(stem)
        .filter((w) => stems.has(w)),
    ).size;
    if (hits > (best?.hits ?? 0)) best = { ...sentence, hits };
  }
  if (!best) return undefined;
  const tokens = best.text.split(/\s+/).filter((t) => t.length > 0);
  const first = tokens.findIndex((t) => words(t).some((w) => stems.has(stem(w))));
  const start = Math.max(0, Math.min(first - 3, tokens.length - PHRASE_WORDS));
  const slice = tokens.slice(start, start + PHRASE_WORDS).join(' ');
  const phrase = `${start > 0 ? '…' : ''}${slice}${start + PHRASE_WORDS < tokens.length ? '…' : ''}`;
  return { atMs: best.startMs, phrase };
}

/**
 * Which question of the bank an interviewer's words ask, for interviewers that do not
 * say (a model words the bank's questions its own way): the question whose prompt shares
 * the largest part of its keywords with the words — at least `minShare` of them and two
 * or more — or undefined for a follow-up or small talk.
 */
export function recognizeQuestion(
  questions: readonly { id: string; prompt: string }[],
  words: string,
  minShare = 0.4,
): string | undefined {
  const said = new Set(
    words
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 0)
      .map(stem),
  );
  let best: { id: string; share: number } | undefined;
  for (const question of questions) {
    const keywords = conceptKeywords(question.prompt);
    const matched = keywords.filter((k) => said.has(stem(k))).length;
    const share = keywords.length > 0 ? matched / keywords.length : 0;
    if (matched >= 2 && share >= minShare && share > (best?.share ?? 0)) {
      best = { id: question.id, share };
    }
  }
  return best?.id;
}
