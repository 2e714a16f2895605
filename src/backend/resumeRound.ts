import { ApiError } from '../api/dispatcher';
import type { RoundPack } from '../core/roundPack';
import type { SessionRecord } from '../core/session';
import type { Turn } from '../core/transcript';

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

export function planResume(session: SessionRecord, pack: RoundPack, budgetMs: number): ResumePlan {
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
    priorTurns: session.turns.map((t) => ({ ...t })),
    priorDurationMs,
  };
}
