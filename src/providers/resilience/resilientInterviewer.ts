import type { InterviewContext, Interviewer, InterviewerReply } from '../types';
import { withRetries, type RetryPolicy, type StatusListener } from './retryPolicy';

/** An interviewer that can pick the round up from the turns so far (the scripted one). */
export interface ResumableInterviewer extends Interviewer {
  resumeFrom(context: InterviewContext): void;
}

/**
 * The interviewer's reply, retried while none of it has been produced; after that a
 * failure ends the reply where it stands (the candidate gets the floor). When retries run
 * out, the embedded interviewer takes over the round from where it is, if allowed.
 */
export class ResilientInterviewer implements Interviewer {
  private usingFallback = false;

  constructor(
    private readonly inner: Interviewer,
    private readonly fallback: ResumableInterviewer | null,
    private readonly policy: RetryPolicy,
    private readonly onStatus: StatusListener,
  ) {}

  get info() {
    return this.inner.info;
  }

  open(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    return this.wrap((i) => i.open(context, signal), context, signal, 'open');
  }

  reply(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    return this.wrap((i) => i.reply(context, signal), context, signal, 'reply');
  }

  private wrap(
    call: (interviewer: Interviewer) => InterviewerReply,
    context: InterviewContext,
    signal: AbortSignal | undefined,
    move: 'open' | 'reply',
  ): InterviewerReply {
    if (this.usingFallback && this.fallback) return call(this.fallback);
    let chosen: InterviewerReply | null = null;
    const text = this.stream(call, context, signal, move, (r) => {
      chosen = r;
    });
    // Which interviewer answered (and so its questionId / phaseAfter) is known once the
    // text starts to flow.
    return {
      text,
      get questionId() {
        return chosen?.questionId;
      },
      get phaseAfter() {
        return chosen?.phaseAfter;
      },
    };
  }

  private async *stream(
    call: (interviewer: Interviewer) => InterviewerReply,
    context: InterviewContext,
    signal: AbortSignal | undefined,
    move: 'open' | 'reply',
    onChosen: (reply: InterviewerReply) => void,
  ): AsyncIterable<string> {
    let produced = false;
    try {
      const { reply, iterator, head } = await withRetries(
        'interviewer',
        async () => {
          const reply = call(this.inner);
          const iterator = reply.text[Symbol.asyncIterator]();
          const head = await iterator.next();
          return { reply, iterator, head };
        },
        this.policy,
        this.onStatus,
        signal,
      );
      onChosen(reply);
      if (head.done) return;
      produced = true;
      yield head.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      if (produced) {
        // Cut mid-reply: end here; the words already spoken stand.
        this.onStatus({
          stage: 'interviewer',
          state: 'reconnecting',
          message: 'The interviewer model stopped mid-reply; go on answering and it will pick up.',
        });
        return;
      }
      if (!this.fallback) throw error;
      this.usingFallback = true;
      this.fallback.resumeFrom(context);
      this.onStatus({
        stage: 'interviewer',
        state: 'fallback',
        message:
          'The interviewer model is not answering; the offline interviewer carries on the round.',
      });
      const reply =
        move === 'open'
          ? this.fallback.open(context, signal)
          : this.fallback.reply(context, signal);
      onChosen(reply);
      yield* reply.text;
    }
  }
}
