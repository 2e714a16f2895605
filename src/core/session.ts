import { z } from 'zod';
import { STAR_PARTS } from './roundPack';
import { millis } from './units';

/**
 * `<data>/sessions/<id>/session.json`, readable without the app. Documented in
 * docs/session-format.md. `schemaVersion` lets later versions open older sessions.
 */
export const SESSION_SCHEMA_VERSION = 1;

export const sessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, 'session ids are letters, digits, - and _');

export const turnSchema = z.object({
  id: z.string(),
  speaker: z.enum(['candidate', 'interviewer']),
  startMs: z.number().nonnegative().transform(millis),
  endMs: z.number().nonnegative().transform(millis),
  text: z.string().nullable(),
  interrupted: z.boolean().optional(),
  questionId: z.string().optional(),
});

/** One strong-answer concept in a note: covered (when, in which words) or still missing. */
export const notePointSchema = z.object({
  label: z.string(),
  /** The concept's full text, shown on demand. */
  concept: z.string(),
  covered: z.boolean(),
  /** Covered points: about when it was said (estimated within the turn) and the words. */
  atMs: z.number().nonnegative().optional(),
  phrase: z.string().optional(),
});
export type NotePoint = z.infer<typeof notePointSchema>;

export const noteSchema = z.object({
  atMs: z.number().nonnegative(),
  questionId: z.string(),
  /** `answer`: one note per answer. `strong` / `missing`: older sessions' notes. */
  kind: z.enum(['answer', 'strong', 'missing', 'observation']),
  /** One short line, readable where the points are not shown (loop memory, debrief). */
  text: z.string(),
  points: z.array(notePointSchema).default([]),
  /** Story questions: the STAR parts the candidate's story has not told yet. */
  storyMissing: z.array(z.enum(STAR_PARTS)).optional(),
});

export const providerUsedSchema = z.object({ kind: z.string(), model: z.string().optional() });

export const sessionStatusSchema = z.enum(['recording', 'complete', 'interrupted']);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const sessionSchema = z.object({
  schemaVersion: z.literal(SESSION_SCHEMA_VERSION),
  id: sessionIdSchema,
  createdAt: z.string(),
  endedAt: z.string().optional(),
  status: sessionStatusSchema,
  endReason: z.string().optional(),
  round: z.object({
    packId: z.string(),
    title: z.string(),
    loopTitle: z.string(),
    company: z.string(),
    budgetMs: z.number().nonnegative(),
  }),
  persona: z.object({ name: z.string(), role: z.string() }),
  providers: z.object({
    stt: providerUsedSchema.nullable(),
    interviewer: providerUsedSchema,
    tts: providerUsedSchema,
  }),
  /** False when the round ran without speech-to-text: candidate turns have `text: null`. */
  transcriptAvailable: z.boolean(),
  audio: z.object({
    file: z.string(),
    sampleRate: z.number().int().positive(),
    channels: z.literal(2),
    channelLayout: z.tuple([z.literal('candidate'), z.literal('interviewer')]),
  }),
  durationMs: z.number().nonnegative(),
  turns: z.array(turnSchema),
  /** Usage and estimated cost per stage (core/usage.ts), when model providers were used. */
  usage: z
    .object({
      stages: z.record(
        z.string(),
        z.object({
          model: z.string(),
          inputTokens: z.number(),
          outputTokens: z.number(),
          audioSeconds: z.number(),
          characters: z.number(),
          audioInputTokens: z.number().optional(),
          audioOutputTokens: z.number().optional(),
          costUsd: z.number().nullable(),
        }),
      ),
      costUsd: z.number(),
      unpriced: z.boolean(),
    })
    .optional(),
  /** The interviewer's hidden notes (see core/interviewerNotes.ts); older sessions have none. */
  notes: z.array(noteSchema).default([]),
  /** Set on an answer-again attempt (`<session>/attempts/<n>/`): the question it retakes. */
  attemptOf: z.object({ sessionId: sessionIdSchema, questionId: z.string() }).optional(),
  /**
   * Set on a session that continues an interrupted one: the earlier session and how far
   * into the round it had got (this session's clock starts at 0 again).
   */
  resumeOf: z.object({ sessionId: sessionIdSchema, atMs: z.number().nonnegative() }).optional(),
  /** Set on an interrupted session once it has been resumed, naming the continuation. */
  resumedIn: sessionIdSchema.optional(),
});

export type SessionRecord = z.infer<typeof sessionSchema>;
export type TurnRecord = z.infer<typeof turnSchema>;
export type NoteRecord = z.infer<typeof noteSchema>;

export interface SessionListItem {
  id: string;
  title: string;
  loopTitle: string;
  createdAt: string;
  status: SessionStatus;
  durationMs: number;
  turnCount: number;
}
