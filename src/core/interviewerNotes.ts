import { conceptCoverage, conceptPhrase } from './conceptCoverage';
import type { Question, RoundPack, StarPart } from './roundPack';
import { sentenceTimeline } from './sentenceTimeline';
import type { NotePoint, NoteRecord } from './session';
import { describeMissingPart, storyCheck, type StoryCheck } from './storyParts';
import type { Turn } from './transcript';

/**
 * The interviewer's hidden notes: one per answer, the way a coach jots them — each
 * strong-answer concept by its short label, covered (about when, in the candidate's own
 * words) or still missing, and for a story question which STAR parts are not told yet.
 * Kept out of sight during the round, shown after it and handed to the scorecard. Made by
 * matching the transcript against the pack's concepts — so without a transcript the note
 * says only what was measured.
 */
export type InterviewerNote = NoteRecord;

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

/**
 * The notes a committed candidate turn earns: for the question it answers, with its
 * earlier answers to that question (since the question was first asked) as context.
 */
export function noteAnswer(
  pack: RoundPack,
  turns: readonly Turn[],
  answer: Turn,
): InterviewerNote[] {
  const question = questionAnswered(pack, turns, answer);
  if (!question) return [];
  const askedAt = turns.find((t) => t.speaker === 'interviewer' && t.questionId === question.id);
  const earlier = turns.filter(
    (t) =>
      t.speaker === 'candidate' &&
      t.id !== answer.id &&
      t.text !== null &&
      askedAt !== undefined &&
      t.startMs >= askedAt.startMs &&
      t.startMs < answer.startMs,
  );
  return notesForAnswer(question, answer, earlier);
}

/** Concepts of the question touched in any answer to it so far (for follow-ups). */
export function conceptsStillMissing(question: Question, answers: readonly Turn[]): string[] {
  const said = answers.map((t) => t.text ?? '').join(' ');
  return conceptCoverage(question.strongAnswer, said)
    .filter((c) => !c.covered)
    .map((c) => c.concept);
}

/**
 * The note for one answer. `earlier`: the candidate's earlier answers to the same question
 * (before follow-ups), so a point already covered is not noted again and the story is
 * judged on everything told so far.
 */
export function notesForAnswer(
  question: Question,
  answer: Turn,
  earlier: readonly Turn[] = [],
): InterviewerNote[] {
  const atMs = answer.startMs;
  const seconds = Math.round((answer.endMs - answer.startMs) / 1000);
  if (answer.text === null) {
    return [
      {
        atMs,
        questionId: question.id,
        kind: 'observation',
        text: `Answered "${question.topic}" for ${seconds} s; no transcript, so concepts were not checked.`,
        points: [],
      },
    ];
  }
  const before = earlier.map((t) => t.text ?? '').join(' ');
  const coveredBefore = new Set(
    conceptCoverage(question.strongAnswer, before)
      .filter((c) => c.covered)
      .map((c) => c.label),
  );
  const timeline = sentenceTimeline(answer);
  const points: NotePoint[] = conceptCoverage(question.strongAnswer, answer.text)
    .filter((c) => !coveredBefore.has(c.label))
    .map((c) => {
      const where = c.covered ? conceptPhrase(timeline, c.matched) : undefined;
      return {
        label: c.label,
        concept: c.concept,
        covered: c.covered,
        ...(where ? { atMs: where.atMs, phrase: where.phrase } : {}),
      };
    });
  // The story is judged on everything told so far, once.
  const story = question.story ? storyCheck([before, answer.text].join(' ')) : undefined;
  const storyMissing = story?.missing;
  return [
    {
      atMs,
      questionId: question.id,
      kind: 'answer',
      text: noteLine(points, earlier.length > 0, story),
      points,
      ...(storyMissing ? { storyMissing } : {}),
    },
  ];
}

function noteLine(
  points: readonly NotePoint[],
  followUp: boolean,
  story: StoryCheck | undefined,
): string {
  const covered = points.filter((p) => p.covered).map((p) => p.label);
  const missing = points.filter((p) => !p.covered).map((p) => p.label);
  const parts = [
    covered.length > 0
      ? `Covered: ${covered.join(', ')}.`
      : followUp
        ? 'Nothing new covered.'
        : 'Covered none of the key points.',
  ];
  if (missing.length > 0)
    parts.push(`${followUp ? 'Still missing' : 'Missing'}: ${missing.join(', ')}.`);
  if (story && story.missing.length > 0) {
    parts.push(`Story: ${story.missing.map((p) => describeMissingPart(p, story)).join('; ')}.`);
  } else if (story) {
    parts.push('Story: situation, task, own action and a measured result all told.');
  }
  return parts.join(' ');
}

/** The STAR parts the story told in answer to the question asked last is still missing. */
export function storyPartsMissingNow(pack: RoundPack, turns: readonly Turn[]): StarPart[] {
  const { question, answers } = currentAnswers(pack, turns);
  if (!question?.story || answers.length === 0) return [];
  return storyCheck(answers.map((t) => t.text ?? '').join(' ')).missing;
}

/** The question asked last and the candidate's transcribed answers to it since. */
export function currentAnswers(
  pack: RoundPack,
  turns: readonly Turn[],
): { question: Question | undefined; answers: Turn[] } {
  const lastAsked = [...turns].reverse().find((t) => t.speaker === 'interviewer' && t.questionId);
  const question = pack.questions.find((q) => q.id === lastAsked?.questionId);
  // From where the question was first asked: its follow-ups carry its id too.
  const firstAsked = turns.find(
    (t) => t.speaker === 'interviewer' && t.questionId === question?.id,
  );
  if (!question || !firstAsked) return { question: undefined, answers: [] };
  const answers = turns.filter(
    (t) => t.speaker === 'candidate' && t.startMs >= firstAsked.startMs && t.text !== null,
  );
  return { question, answers };
}

/**
 * What the answers to the question asked last have not touched yet (only with a
 * transcript): the interviewer is told, so it can probe for it.
 */
export function missingConceptsNow(pack: RoundPack, turns: readonly Turn[]): string[] {
  const { question, answers } = currentAnswers(pack, turns);
  return question && answers.length > 0 ? conceptsStillMissing(question, answers) : [];
}
