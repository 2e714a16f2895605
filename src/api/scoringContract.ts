import { z } from 'zod';
import type { ProgressView } from '../core/progress';
import type { RubricCriterion } from '../core/roundPack';
import { rubricScoreSchema, type Scorecard } from '../core/scorecard';
import { sessionIdSchema } from '../core/session';

/**
 * Scorecards and progress (merged into `apiRequests` in contract.ts): list a session's
 * scorecards, score it with a model or measure it offline, save a self-review, and the
 * progress history across sessions.
 */
export const scoringRequests = {
  'scorecards.list': z.object({ sessionId: sessionIdSchema }).strict(),
  'scorecards.score': z
    .object({
      sessionId: sessionIdSchema,
      kind: z.enum(['model', 'offline']),
      /** Another model than the interviewer's, for "score again". */
      model: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  'scorecards.saveSelf': z
    .object({
      sessionId: sessionIdSchema,
      criteria: z
        .array(
          z
            .object({
              criterionId: z.string().min(1).max(100),
              score: rubricScoreSchema,
              note: z.string().max(2000).default(''),
            })
            .strict(),
        )
        .min(1)
        .max(50),
    })
    .strict(),
  'progress.get': z.object({}).strict(),
} as const;

export interface ScorecardsView {
  /** Oldest first; every version ever made. */
  scorecards: Scorecard[];
  problems: string[];
  /** The round's rubric, for self-review; null when its pack is no longer installed. */
  rubric: RubricCriterion[] | null;
  /** Whether a model can score now, the model it would use, and why not if it cannot. */
  scorer: { available: boolean; model: string; reason?: string };
  transcriptAvailable: boolean;
}

export interface ScoringResponses {
  'scorecards.list': ScorecardsView;
  'scorecards.score': Scorecard;
  'scorecards.saveSelf': Scorecard;
  'progress.get': ProgressView;
}
