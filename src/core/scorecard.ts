import { z } from 'zod';
import { STAR_PARTS } from './roundPack';
import { sessionIdSchema } from './session';

/**
 * Scorecards: `<session>/scorecards/<version>.json`, one file per scoring, never
 * overwritten, so scoring again (another model, a later self-review) adds a version and
 * loses none. Three kinds sit side by side:
 * - `model`: a model scored the rubric from the transcript; every score cites quotes that
 *   were checked against the transcript (core/evidence.ts).
 * - `offline`: what can be measured without a model — delivery and concept coverage.
 * - `self`: the candidate's own scores against the same descriptors.
 * Documented in docs/session-format.md; the JSON export's schema is generated from this.
 */
export const SCORECARD_SCHEMA_VERSION = 1;

export const signalSchema = z.enum([
  'strong no hire',
  'no hire',
  'lean no hire',
  'lean hire',
  'hire',
  'strong hire',
  'not enough evidence',
]);
export type Signal = z.infer<typeof signalSchema>;

/** 1–4 against the criterion's descriptors; null is "not enough evidence". */
export const rubricScoreSchema = z.number().int().min(1).max(4).nullable();
export type RubricScore = z.infer<typeof rubricScoreSchema>;

/** A quote found verbatim in one of the candidate's turns, with where it was said. */
export const evidenceSchema = z.object({
  quote: z.string().min(1),
  /** Said aloud (a transcript turn) or written on the coding pad (`turnId` is `code`). */
  source: z.enum(['speech', 'code']).default('speech'),
  turnId: z.string(),
  /** Estimated moment of the quote inside its turn, on the recording's clock. */
  atMs: z.number().nonnegative(),
  turnStartMs: z.number().nonnegative(),
  turnEndMs: z.number().nonnegative(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const criterionResultSchema = z
  .object({
    criterionId: z.string(),
    name: z.string(),
    score: rubricScoreSchema,
    /**
     * - `scored`: a score backed by at least one verified quote (or the candidate's own).
     * - `not-enough-evidence`: the candidate never addressed it (said so by the scorer).
     * - `withdrawn`: the scorer gave a score but none of its quotes were in the
     *   transcript, so the score was dropped rather than shown unsupported.
     */
    status: z.enum(['scored', 'not-enough-evidence', 'withdrawn']),
    /** The score the model proposed, kept when it was withdrawn. */
    claimedScore: rubricScoreSchema.optional(),
    rationale: z.string(),
    evidence: z.array(evidenceSchema),
    /** Quotes the scorer gave that are not in the transcript (or are requests for a score). */
    droppedQuotes: z.array(z.object({ quote: z.string(), reason: z.string() })).default([]),
  })
  // Enforced on every read (an edited file, an imported bundle), not only when scoring:
  // a number is only ever shown with verified evidence behind it.
  .superRefine((c, ctx) => {
    if (c.status === 'scored' && (c.score === null || c.evidence.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['evidence'],
        message: 'a scored criterion needs a score and at least one piece of evidence',
      });
    }
    if (c.status !== 'scored' && c.score !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['score'],
        message: `a ${c.status} criterion has no score`,
      });
    }
  });
export type CriterionResult = z.infer<typeof criterionResultSchema>;

/** Full text of the concepts a scorecard names by label (shown on demand). */
const conceptTextSchema = z.record(z.string(), z.string()).default({});

export const questionFeedbackSchema = z.object({
  questionId: z.string(),
  topic: z.string(),
  strong: z.array(z.string()),
  /** Labels of the strong-answer concepts the answers missed (older scorecards: full text). */
  missingConcepts: z.array(z.string()),
  conceptText: conceptTextSchema,
  /** Story questions: the STAR parts the candidate's story left out. */
  storyMissing: z.array(z.enum(STAR_PARTS)).optional(),
  /** What a strong answer would have covered, in a few lines. */
  outline: z.array(z.string()),
});
export type QuestionFeedback = z.infer<typeof questionFeedbackSchema>;

export const deliveryMetricsSchema = z.object({
  durationMs: z.number().nonnegative(),
  candidateTalkMs: z.number().nonnegative(),
  interviewerTalkMs: z.number().nonnegative(),
  /** Candidate talk time over both speakers' talk time, 0–1. */
  talkRatio: z.number().min(0).max(1).nullable(),
  wordsPerMinute: z.number().nullable(),
  fillerWords: z
    .object({
      total: z.number().int().nonnegative(),
      perMinute: z.number().nonnegative(),
      byWord: z.record(z.string(), z.number().int().nonnegative()),
    })
    .nullable(),
  pauses: z.object({
    /** Longest silence between two turns (either speaker). */
    longestMs: z.number().nonnegative(),
    /** Time from the end of an interviewer turn to the start of the candidate's answer. */
    medianResponseMs: z.number().nonnegative().nullable(),
    /** Answers that took LONG_RESPONSE_MS or more to start. */
    longResponses: z.number().int().nonnegative(),
  }),
  answers: z.object({
    count: z.number().int().nonnegative(),
    medianMs: z.number().nonnegative().nullable(),
    longestMs: z.number().nonnegative().nullable(),
    medianWords: z.number().nonnegative().nullable(),
  }),
  /** Times the candidate cut the interviewer off. */
  interruptions: z.number().int().nonnegative(),
});
export type DeliveryMetrics = z.infer<typeof deliveryMetricsSchema>;

export const coverageSchema = z.object({
  /** Per question asked: which of its strong-answer concepts the candidate's answers touched. */
  questions: z.array(
    z.object({
      questionId: z.string(),
      topic: z.string(),
      /** Concept labels (older scorecards: full text). */
      covered: z.array(z.string()),
      missing: z.array(z.string()),
      conceptText: conceptTextSchema,
      storyMissing: z.array(z.enum(STAR_PARTS)).optional(),
    }),
  ),
  /** Per rubric criterion: which of its evidence concepts appear anywhere in the answers. */
  criteria: z.array(
    z.object({
      criterionId: z.string(),
      name: z.string(),
      covered: z.array(z.string()),
      missing: z.array(z.string()),
    }),
  ),
});
export type Coverage = z.infer<typeof coverageSchema>;

const common = {
  schemaVersion: z.literal(SCORECARD_SCHEMA_VERSION),
  /** 1, 2, … per session, in the order the scorecards were made. */
  version: z.number().int().positive(),
  sessionId: sessionIdSchema,
  packId: z.string(),
  createdAt: z.string(),
};

export const modelScorecardSchema = z.object({
  ...common,
  kind: z.literal('model'),
  model: z.string(),
  criteria: z.array(criterionResultSchema),
  overall: z.object({ signal: signalSchema, reasons: z.array(z.string()) }),
  questions: z.array(questionFeedbackSchema),
  tips: z.array(z.string()),
  /** Whether the scorer's first answer had to be repaired. */
  repaired: z.boolean(),
});

export const offlineScorecardSchema = z.object({
  ...common,
  kind: z.literal('offline'),
  delivery: deliveryMetricsSchema,
  /** Null when the round had no transcript. */
  coverage: coverageSchema.nullable(),
});

export const selfScorecardSchema = z.object({
  ...common,
  kind: z.literal('self'),
  criteria: z.array(
    z.object({
      criterionId: z.string(),
      name: z.string(),
      score: rubricScoreSchema,
      note: z.string().max(2000).default(''),
    }),
  ),
});

export const scorecardSchema = z.discriminatedUnion('kind', [
  modelScorecardSchema,
  offlineScorecardSchema,
  selfScorecardSchema,
]);
export type Scorecard = z.infer<typeof scorecardSchema>;
export type ModelScorecard = z.infer<typeof modelScorecardSchema>;
export type OfflineScorecard = z.infer<typeof offlineScorecardSchema>;
export type SelfScorecard = z.infer<typeof selfScorecardSchema>;
export type ScorecardKind = Scorecard['kind'];

/** Fields a store adds when it saves a scorecard. */
export type ScorecardDraft =
  | Omit<ModelScorecard, 'schemaVersion' | 'version' | 'createdAt'>
  | Omit<OfflineScorecard, 'schemaVersion' | 'version' | 'createdAt'>
  | Omit<SelfScorecard, 'schemaVersion' | 'version' | 'createdAt'>;

/** The newest scorecard of a kind, or undefined. */
export function latestOfKind<K extends ScorecardKind>(
  cards: readonly Scorecard[],
  kind: K,
): Extract<Scorecard, { kind: K }> | undefined {
  let best: Extract<Scorecard, { kind: K }> | undefined;
  for (const card of cards) {
    if (card.kind === kind && (!best || card.version > best.version)) {
      best = card as Extract<Scorecard, { kind: K }>;
    }
  }
  return best;
}
