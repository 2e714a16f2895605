import { z } from 'zod';
import { signalSchema } from './scorecard';
import { sessionIdSchema } from './session';

/**
 * A full loop: the rounds of one company loop run in sequence, sharing memory, ending in
 * a debrief. `<data>/loops/<id>/loop.json`; the rounds' sessions stay ordinary sessions.
 */
export const debriefSchema = z.object({
  recommendation: signalSchema.exclude(['not enough evidence']),
  reasons: z.array(z.string().min(1)).min(1).max(8),
  rounds: z.array(
    z.object({
      /** The round's pack id (debriefs written before ids were enumerated have none). */
      roundId: z.string().optional(),
      title: z.string(),
      signal: signalSchema,
      why: z.string(),
    }),
  ),
});
export type Debrief = z.infer<typeof debriefSchema>;

export const loopRunSchema = z.object({
  schemaVersion: z.literal(1),
  id: sessionIdSchema,
  loopId: z.string(),
  loopTitle: z.string(),
  createdAt: z.string(),
  rounds: z.array(
    z.object({
      packId: z.string(),
      title: z.string(),
      sessionId: sessionIdSchema.optional(),
    }),
  ),
  debrief: debriefSchema.extend({ model: z.string(), writtenAt: z.string() }).optional(),
});
export type LoopRun = z.infer<typeof loopRunSchema>;

/** The loop's rounds in interview order: the order the packs give, recruiter first. */
export function nextRound(run: LoopRun): LoopRun['rounds'][number] | undefined {
  return run.rounds.find((r) => r.sessionId === undefined);
}

/**
 * What a later interviewer may know of earlier rounds: per round, the candidate's own
 * words (trimmed) and the notes taken. Without a transcript it says so, nothing more.
 */
export function loopMemory(
  rounds: readonly {
    title: string;
    interviewer: string;
    answers: readonly (string | null)[];
    notes: readonly string[];
  }[],
  maxChars = 2400,
): string[] {
  const lines: string[] = [];
  for (const round of rounds) {
    const said = round.answers.filter((a): a is string => a !== null && a.trim().length > 0);
    if (said.length === 0) {
      lines.push(
        `${round.title} with ${round.interviewer}: the candidate answered ${round.answers.length} time(s); no transcript was made.`,
      );
    } else {
      const quotes = said.map((a) => `"${a.trim().slice(0, 280)}"`).join(' ');
      lines.push(`${round.title} with ${round.interviewer}: the candidate said ${quotes}`);
    }
    if (round.notes.length > 0) lines.push(`${round.title} notes: ${round.notes.join(' ')}`);
  }
  // Keep the most recent rounds whole when there is too much.
  const kept: string[] = [];
  let total = 0;
  for (const line of lines.reverse()) {
    if (total + line.length > maxChars) break;
    kept.unshift(line);
    total += line.length;
  }
  return kept;
}
