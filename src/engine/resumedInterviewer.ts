import type { Turn } from '../core/transcript';
import { millis } from '../core/units';
import type { InterviewContext, Interviewer, InterviewerReply } from '../providers/types';

/**
 * Continues a round that was cut off (a crash, a closed window) in a new session. The
 * interviewer sees the earlier part's turns before the new ones — shifted to negative
 * times so "earlier" still sorts first — and opens with a pick-up line instead of its
 * greeting: the next question, or the one it was asking when the round stopped.
 */

/** Interviewers that keep their own place in the plan (the scripted one, a fallback). */
interface PlanFollower {
  resumeFrom(context: InterviewContext): void;
}

const PICK_UP = 'Sorry, we got cut off. Let’s pick up where we left off.';

export class ResumedInterviewer implements Interviewer {
  readonly info: Interviewer['info'];
  private readonly prior: Turn[];

  constructor(
    private readonly inner: Interviewer,
    priorTurns: readonly Turn[],
    priorDurationMs: number,
  ) {
    this.info = inner.info;
    this.prior = priorTurns.map((t) => ({
      ...t,
      startMs: millis(t.startMs - priorDurationMs),
      endMs: millis(t.endMs - priorDurationMs),
    }));
  }

  open(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    const full = this.withPrior(context);
    const asked = this.prior.some((t) => t.speaker === 'interviewer' && t.questionId);
    if (hasPlan(this.inner)) this.inner.resumeFrom(full);
    // Nothing of the plan was asked yet: the normal opening is the right start.
    const reply = asked ? this.inner.reply(full, signal) : this.inner.open(full, signal);
    // A model is told (interviewerPrompt RESUME_NOTE) and words its own pick-up line.
    return this.inner.info.kind === 'embedded'
      ? { ...reply, text: prefixed(PICK_UP, reply.text) }
      : reply;
  }

  reply(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    return this.inner.reply(this.withPrior(context), signal);
  }

  private withPrior(context: InterviewContext): InterviewContext {
    return {
      ...context,
      turns: [...this.prior, ...context.turns],
      resumed: true,
    };
  }
}

function hasPlan(interviewer: Interviewer): interviewer is Interviewer & PlanFollower {
  return typeof (interviewer as Partial<PlanFollower>).resumeFrom === 'function';
}

async function* prefixed(first: string, rest: AsyncIterable<string>): AsyncIterable<string> {
  yield `${first} `;
  yield* rest;
}
