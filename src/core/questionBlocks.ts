import type { RoundPack } from './roundPack';
import type { Turn } from './transcript';

/**
 * A session seen question by question: each block runs from the interviewer turn that
 * asks a pack question (turns carry `questionId`) up to the next question, and holds the
 * answers and follow-ups in between. Used to answer a question again and to compare.
 */
export interface QuestionBlock {
  questionId: string;
  startMs: number;
  endMs: number;
  turns: Turn[];
}

export interface BlockOptions {
  /**
   * Whether an interviewer turn that asks no pack question ends the block. True when every
   * question turn is tagged (the scripted interviewer: untagged turns are the closing);
   * false for model interviewers, whose follow-ups carry no tag.
   */
  untaggedEndsBlock?: boolean;
}

export function questionBlocks(
  turns: readonly Turn[],
  options: BlockOptions = {},
): QuestionBlock[] {
  const ordered = [...turns].sort((a, b) => a.startMs - b.startMs);
  const blocks: QuestionBlock[] = [];
  let current = null as QuestionBlock | null;
  for (const turn of ordered) {
    if (turn.speaker === 'interviewer') {
      const asks = turn.questionId;
      if (asks === undefined) {
        if (options.untaggedEndsBlock) current = null;
      } else if (asks !== current?.questionId) {
        // A question asked again later ("let me finish the question") extends its block.
        const earlier: QuestionBlock | undefined = blocks.find((b) => b.questionId === asks);
        const block: QuestionBlock = earlier ?? {
          questionId: asks,
          startMs: turn.startMs,
          endMs: turn.endMs,
          turns: [],
        };
        if (!earlier) blocks.push(block);
        current = block;
      }
    }
    if (current) {
      current.turns.push(turn);
      current.endMs = Math.max(current.endMs, turn.endMs);
    }
  }
  return blocks;
}

/** The candidate's words in a set of turns; null when none of them was transcribed. */
export function candidateText(turns: readonly Turn[]): string | null {
  const said = turns.filter((t) => t.speaker === 'candidate');
  if (said.length === 0 || said.every((t) => t.text === null)) return null;
  return said
    .map((t) => t.text ?? '')
    .join(' ')
    .trim();
}

/** Minutes an answer-again attempt may run before the interviewer wraps up. */
export const ATTEMPT_MINUTES = 6;

/**
 * The round pack cut down to one question, for a short live attempt at it: the same
 * persona and voice, that question and its follow-ups, a few minutes, no closing phase.
 */
export function singleQuestionPack(pack: RoundPack, questionId: string): RoundPack | null {
  const question = pack.questions.find((q) => q.id === questionId);
  if (!question) return null;
  return {
    ...pack,
    questions: [question],
    opening: "Let's take this question again.",
    plan: [
      {
        phase: 'questions',
        minutes: ATTEMPT_MINUTES,
        goal: `Ask "${question.topic}" again, listen to the whole answer, ask at most one follow-up, then stop.`,
      },
    ],
  };
}
