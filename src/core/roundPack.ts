import { z } from 'zod';

/**
 * A round pack: everything that makes a round feel like that company's round. Packs are
 * YAML files under `prompts/` that people read and edit; this schema is their contract.
 * Documented for users in docs/round-packs.md.
 */

const nonEmpty = z.string().trim().min(1);

/** Probes for depth and stress. */
export const PROBE_KINDS = ['clarify', 'why', 'failure', 'scale', 'tradeoff', 'example'] as const;
/** Probes for the part of a story (STAR) the candidate left out. */
export const STAR_PARTS = ['situation', 'task', 'action', 'result'] as const;
export type StarPart = (typeof STAR_PARTS)[number];

export const followUpSchema = z.object({
  kind: z.enum([...PROBE_KINDS, ...STAR_PARTS]),
  prompt: nonEmpty,
});

/**
 * A strong-answer concept: a short label for notes, replay and scorecards ("concrete
 * scale"), and the full text the matching and the model read.
 */
export const conceptSchema = z.object(
  {
    label: nonEmpty
      .max(40, 'keep a label to 40 characters: a few words')
      .refine((l) => l.split(/\s+/).length <= 6, 'keep a label to six words or fewer'),
    text: nonEmpty,
  },
  { error: 'write each concept as { label, text }: a few-word label and the full text' },
);

export const questionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes'),
  topic: nonEmpty,
  prompt: nonEmpty,
  /** What a strong answer covers: concepts that count as evidence. */
  strongAnswer: z
    .array(conceptSchema)
    .min(1)
    .superRefine((concepts, ctx) => {
      const seen = new Set<string>();
      concepts.forEach((c, i) => {
        const key = c.label.toLowerCase();
        if (seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'label'],
            message: `duplicate label "${c.label}"`,
          });
        }
        seen.add(key);
      });
    }),
  /**
   * The question asks for a story from the candidate's past: the interviewer checks it
   * for situation, task, the candidate's own action and a measured result (STAR), and
   * asks the pack's follow-up for a missing part.
   */
  story: z.boolean().default(false),
  followUps: z.array(followUpSchema).min(1),
  /**
   * Coding questions in rounds with a code pad: the function the candidate writes and
   * example cases the pad's Run button checks it against (JSON arguments and result).
   */
  code: z
    .object({
      entryPoint: z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'a function name'),
      examples: z
        .array(
          z.object({
            name: nonEmpty.optional(),
            args: z.array(z.unknown()),
            expected: z.unknown(),
          }),
        )
        .max(20)
        .default([]),
    })
    .optional(),
});

const descriptorsSchema = z.object({
  1: nonEmpty,
  2: nonEmpty,
  3: nonEmpty,
  4: nonEmpty,
});

export const rubricCriterionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes'),
  name: nonEmpty,
  descriptors: descriptorsSchema,
  evidence: z.array(nonEmpty).default([]),
});

export const planPhaseSchema = z.object({
  phase: z.enum(['intro', 'questions', 'candidate-questions']),
  minutes: z.number().positive().max(180),
  goal: nonEmpty,
});

export const personaSchema = z.object({
  name: nonEmpty,
  role: nonEmpty,
  temperament: nonEmpty,
  speakingStyle: nonEmpty,
  voice: z.object({
    /** OpenAI speech voice name (e.g. `cedar`, `marin`, `alloy`). */
    openai: nonEmpty,
    /** Embedded offline voice: one of Flite's built-in voices. */
    embedded: z.enum(['slt', 'rms', 'awb', 'kal', 'kal16']),
    /** How the voice should sound; passed as `instructions` to speech models that take them. */
    instructions: nonEmpty,
    /** Speaking rate, 1 = normal: a brisk recruiter is faster than a deliberate executive. */
    pace: z.number().min(0.75).max(1.3).default(1),
  }),
  /**
   * How this interviewer pushes: which kinds of follow-up it reaches for first, and how
   * many it asks before moving on (the offline interviewer follows this; a model reads it).
   */
  probing: z
    .object({
      prefer: z.array(z.enum(PROBE_KINDS)).min(1),
      maxFollowUps: z.number().int().min(0).max(3),
    })
    .default({
      prefer: ['why', 'failure', 'scale', 'tradeoff', 'clarify', 'example'],
      maxFollowUps: 1,
    }),
});

export const roundPackSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes'),
    company: nonEmpty,
    loop: z.object({ id: z.string().regex(/^[a-z0-9-]+$/), title: nonEmpty }),
    title: nonEmpty,
    /** Position of the round in its loop (1 = first); the picker and full loops use it. */
    order: z.number().int().min(1).max(50).default(50),
    summary: nonEmpty,
    persona: personaSchema,
    plan: z.array(planPhaseSchema).min(1),
    opening: nonEmpty,
    questions: z.array(questionSchema).min(1),
    /** A shared code pad (coding rounds) or whiteboard (design rounds) beside the round. */
    workspace: z.enum(['code', 'whiteboard']).optional(),
    rubric: z.array(rubricCriterionSchema).min(1),
    closing: z.object({
      invite: nonEmpty,
      farewell: nonEmpty,
      /** Rubric criterion that scores the candidate's own questions. */
      criterion: z.string(),
    }),
  })
  .superRefine((pack, ctx) => {
    const ids = new Set(pack.rubric.map((c) => c.id));
    if (!ids.has(pack.closing.criterion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['closing', 'criterion'],
        message: `names rubric criterion "${pack.closing.criterion}", which the rubric does not define`,
      });
    }
    const seen = new Set<string>();
    pack.questions.forEach((q, i) => {
      if (q.story) {
        const kinds = new Set(q.followUps.map((f) => f.kind));
        const missing = STAR_PARTS.filter((part) => !kinds.has(part));
        if (missing.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'followUps'],
            message: `a story question needs a follow-up for each STAR part; missing: ${missing.join(', ')}`,
          });
        }
      }
      if (seen.has(q.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'id'],
          message: `duplicate question id "${q.id}"`,
        });
      }
      seen.add(q.id);
    });
  });

export type RoundPack = z.infer<typeof roundPackSchema>;
export type Question = z.infer<typeof questionSchema>;
export type FollowUp = z.infer<typeof followUpSchema>;
export type Concept = z.infer<typeof conceptSchema>;
export type RubricCriterion = z.infer<typeof rubricCriterionSchema>;
export type Persona = z.infer<typeof personaSchema>;
export type EmbeddedVoice = Persona['voice']['embedded'];

export function roundDurationMinutes(pack: RoundPack): number {
  return pack.plan.reduce((sum, p) => sum + p.minutes, 0);
}

/** Minutes reserved at the end of the round for the candidate's questions. */
export function closingMinutes(pack: RoundPack): number {
  return pack.plan
    .filter((p) => p.phase === 'candidate-questions')
    .reduce((sum, p) => sum + p.minutes, 0);
}

/** A pack that failed validation: which file, which field, and why. */
export interface RoundPackProblem {
  file: string;
  field: string;
  reason: string;
}

/**
 * The question the time plan expects now: the questions phase (after any intro) is split
 * evenly across the bank. Interviewers use it to keep time.
 */
export function scheduledQuestion(
  pack: RoundPack,
  elapsedMs: number,
): { index: number; id: string } {
  const minutesOf = (phase: string) =>
    pack.plan.filter((p) => p.phase === phase).reduce((sum, p) => sum + p.minutes, 0);
  const introMs = minutesOf('intro') * 60_000;
  const questionsMs = Math.max(1, minutesOf('questions') * 60_000);
  const count = pack.questions.length;
  const progress = Math.max(0, elapsedMs - introMs) / questionsMs;
  const index = Math.min(count - 1, Math.floor(progress * count));
  return { index, id: pack.questions[index]?.id ?? '' };
}

/** Loops in the order their files list them; rounds in interview order within a loop. */
export function inInterviewOrder(packs: readonly RoundPack[]): RoundPack[] {
  const loops = [...new Set(packs.map((p) => p.loop.id))];
  return [...packs].sort(
    (a, b) =>
      loops.indexOf(a.loop.id) - loops.indexOf(b.loop.id) ||
      a.order - b.order ||
      a.title.localeCompare(b.title),
  );
}

/** Label → full text of a question's concepts, for showing a label's text on demand. */
export function conceptTextOf(question: Question): Record<string, string> {
  return Object.fromEntries(question.strongAnswer.map((c) => [c.label, c.text]));
}
