import { ApiError } from '../api/dispatcher';
import type { RoundPack } from '../core/roundPack';
import type { SessionRecord } from '../core/session';
import type { Turn } from '../core/transcript';
import { millis } from '../core/units';

/**
 * Resuming an interrupted round: a new session continues it where it stopped — the same
 * round pack, the time already used counted against the round's plan, and the earlier
 * turns handed to the interviewer (see engine/resumedInterviewer.ts). The interrupted
 * session stays as it was, linked both ways (`resumeOf` / `resumedIn`).
 */
export interface ResumePlan {
  resumeOf: { sessionId: string; atMs: number };
  priorTurns: Turn[];
  priorDurationMs: number;
}

/** Less than this left of the plan is not worth resuming: start the round again. */
const MIN_LEFT_MS = 60_000;

/** Parts of one round cut off more than this many times are not worth following back. */
const MAX_PARTS = 20;

/**
 * Every turn of the round so far, on the round's own clock: the parts it was resumed
 * from, oldest first, each shifted to where it started (its `resumeOf.atMs`).
 */
export async function roundSoFar(
  last: SessionRecord,
  load: (id: string) => Promise<SessionRecord>,
): Promise<Turn[]> {
  const parts = [last];
  let part = last;
  while (part.resumeOf && parts.length < MAX_PARTS) {
    // A part that can no longer be read leaves the recap shorter, not the resume refused.
    const earlier = await load(part.resumeOf.sessionId).catch(() => undefined);
    if (!earlier) break;
    parts.unshift(earlier);
    part = earlier;
  }
  return parts.flatMap((part) => {
    const offset = part.resumeOf?.atMs ?? 0;
    return part.turns.map((t) => ({
      ...t,
      startMs: millis(t.startMs + offset),
      endMs: millis(t.endMs + offset),
    }));
  });
}

export function planResume(
  session: SessionRecord,
  pack: RoundPack,
  budgetMs: number,
  /** The whole round so far (roundSoFar); just this session's turns when not given. */
  turnsSoFar: readonly Turn[] = session.turns,
): ResumePlan {
  if (session.status !== 'interrupted') {
    throw new ApiError(
      'bad-request',
      session.status === 'recording'
        ? 'That round is still recording; it can be resumed once it has stopped.'
        : 'Only an interrupted round can be resumed; this one was completed.',
    );
  }
  if (session.resumedIn) {
    throw new ApiError(
      'bad-request',
      `That round was already resumed (session ${session.resumedIn}); resume that one instead if it was interrupted too.`,
    );
  }
  if (session.round.packId !== pack.id) {
    throw new ApiError('bad-request', 'That session belongs to another round.');
  }
  if (session.attemptOf) {
    throw new ApiError(
      'bad-request',
      'An answer-again attempt cannot be resumed; start a new one.',
    );
  }
  // A resumed continuation carries on the clock of the round it continues.
  const priorDurationMs = (session.resumeOf?.atMs ?? 0) + session.durationMs;
  if (budgetMs - priorDurationMs < MIN_LEFT_MS) {
    throw new ApiError(
      'bad-request',
      'Less than a minute of that round was left when it stopped; start it again instead.',
    );
  }
  return {
    resumeOf: { sessionId: session.id, atMs: priorDurationMs },
    priorTurns: turnsSoFar.map((t) => ({ ...t })),
    priorDurationMs,
  };
}
