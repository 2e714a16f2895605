import type { Question } from '../core/roundPack';
import type { InterviewContext, Interviewer, InterviewerReply } from '../providers/types';

/**
 * "Answer again": a short live attempt at one question of a past round. Wraps the round's
 * interviewer so that it asks that question, lets the candidate answer, asks at most one
 * follow-up (the wrapped interviewer's own, so a model interviewer still reacts to what
 * was said), and then closes. The engine ends the round after the closing line, because
 * the follow-up moves the phase to `farewell`.
 */
export const ATTEMPT_WRAP_UP =
  "Thanks, that's the end of this attempt. You can compare it with your first answer now.";

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

export class AnswerAgainInterviewer implements Interviewer {
  private followedUp = false;

  constructor(
    private readonly inner: Interviewer,
    private readonly question: Question,
  ) {}

  get info() {
    return this.inner.info;
  }

  open(): InterviewerReply {
    return {
      text: once(`Let's take this one again. ${this.question.prompt}`),
      questionId: this.question.id,
    };
  }

  reply(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    if (context.phase === 'farewell' || this.followedUp) {
      return { text: once(ATTEMPT_WRAP_UP), phaseAfter: 'farewell' };
    }
    const last = context.turns[context.turns.length - 1];
    if (last?.speaker !== 'candidate') {
      // Nothing was said yet (the candidate pressed "I'm done" in silence): ask again.
      return {
        text: once(`Take your time. ${this.question.prompt}`),
        questionId: this.question.id,
      };
    }
    if (!this.questionHeard(context)) {
      // Cut off before the question was out: finish it, and keep the follow-up for later.
      return {
        text: once(`Let me finish the question. ${this.question.prompt}`),
        questionId: this.question.id,
      };
    }
    this.followedUp = true;
    // A draft the candidate talked over is aborted: it did not follow up after all.
    signal?.addEventListener('abort', () => (this.followedUp = false), { once: true });
    const followUp = this.inner.reply(context, signal);
    return { text: followUp.text, questionId: this.question.id, phaseAfter: 'farewell' };
  }

  /** The question was played to its end at least once. */
  private questionHeard(context: InterviewContext): boolean {
    return context.turns.some(
      (t) => t.speaker === 'interviewer' && t.questionId === this.question.id && !t.interrupted,
    );
  }
}
