import { conceptCoverage } from './conceptCoverage';
import type { Question, RoundPack } from './roundPack';
import type { Turn } from './transcript';

/**
 * The interviewer's hidden notes: what an answer covered and missed of what a strong
 * answer covers, with the time it was said. Kept out of sight during the round, shown
 * after it and handed to the scorecard. Made by matching the transcript against the
 * pack's concepts — so without a transcript the note says only what was measured.
 */
export interface InterviewerNote {
  atMs: number;
  questionId: string;
  kind: 'strong' | 'missing' | 'observation';
  text: string;
}

/** The question a candidate turn answers: the last one the interviewer asked before it. */
export function questionAnswered(
  pack: RoundPack,
  turns: readonly Turn[],
  answer: Turn,
): Question | undefined {
  const before = turns.filter((t) => t.startMs <= answer.startMs && t.id !== answer.id);
  const asked = [...before].reverse().find((t) => t.speaker === 'interviewer' && t.questionId);
  return pack.questions.find((q) => q.id === asked?.questionId);
}

/** Concepts of the question touched in any answer to it so far (for follow-ups). */
export function conceptsStillMissing(question: Question, answers: readonly Turn[]): string[] {
  const said = answers.map((t) => t.text ?? '').join(' ');
  return conceptCoverage(question.strongAnswer, said)
    .filter((c) => !c.covered)
    .map((c) => c.concept);
}

export function notesForAnswer(question: Question, answer: Turn): InterviewerNote[] {
  const atMs = answer.startMs;
  const seconds = Math.round((answer.endMs - answer.startMs) / 1000);
  if (answer.text === null) {
    return [
      {
        atMs,
        questionId: question.id,
        kind: 'observation',
        text: `Answered "${question.topic}" for ${seconds} s; no transcript, so concepts were not checked.`,
      },
    ];
  }
  const coverage = conceptCoverage(question.strongAnswer, answer.text);
  const covered = coverage.filter((c) => c.covered).map((c) => c.concept);
  const missed = coverage.filter((c) => !c.covered).map((c) => c.concept);
  const notes: InterviewerNote[] = [];
  if (covered.length > 0) {
    notes.push({
      atMs,
      questionId: question.id,
      kind: 'strong',
      text: `Covered: ${covered.join('; ')}.`,
    });
  }
  if (missed.length > 0) {
    notes.push({
      atMs,
      questionId: question.id,
      kind: 'missing',
      text: `Not yet covered: ${missed.join('; ')}.`,
    });
  }
  return notes;
}

/**
 * What the answers to the question asked last have not touched yet (only with a
 * transcript): the interviewer is told, so it can probe for it.
 */
export function missingConceptsNow(pack: RoundPack, turns: readonly Turn[]): string[] {
  const lastAsked = [...turns].reverse().find((t) => t.speaker === 'interviewer' && t.questionId);
  const question = pack.questions.find((q) => q.id === lastAsked?.questionId);
  if (!question || !lastAsked) return [];
  const answers = turns.filter(
    (t) => t.speaker === 'candidate' && t.startMs >= lastAsked.startMs && t.text !== null,
  );
  return answers.length > 0 ? conceptsStillMissing(question, answers) : [];
}
