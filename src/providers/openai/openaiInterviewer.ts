import type OpenAI from 'openai';
import type { UsageRecord } from '../../core/usage';
import type { InterviewContext, Interviewer, InterviewerReply, ProviderInfo } from '../types';
import { buildInterviewerMessages, type InterviewerMove } from './interviewerPrompt';
import { withIdleTimeout } from './openaiClient';
import { jsonInsteadOfStream, textOfChatCompletion } from './unstreamedReply';
import { toProviderError, type OpenAIRequestContext } from './openaiErrors';

export interface OpenAIInterviewerOptions {
  client: OpenAI;
  /** Any chat-completions model, e.g. gpt-4.1-mini. */
  model: string;
  /** Tokens of each reply, for the cost meter. */
  onUsage?: (usage: UsageRecord) => void;
}

const ENDPOINT = '/chat/completions';

interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/**
 * The interviewer as a streamed chat completion. The request starts as soon as open() or
 * reply() is called, so the model is already thinking while the caller sets up playback;
 * the text arrives as content deltas for speech synthesis to start on early.
 */
export class OpenAIInterviewer implements Interviewer {
  readonly info: ProviderInfo;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly onUsage: ((usage: UsageRecord) => void) | undefined;

  constructor(options: OpenAIInterviewerOptions) {
    this.client = options.client;
    this.model = options.model;
    this.onUsage = options.onUsage;
    this.info = { kind: 'openai', model: options.model };
  }

  open(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    return {
      text: this.stream(context, 'open', signal),
      questionId: context.pack.questions[0]?.id,
    };
  }

  reply(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    return { text: this.stream(context, 'reply', signal) };
  }

  private stream(
    context: InterviewContext,
    move: InterviewerMove,
    signal: AbortSignal | undefined,
  ): AsyncIterable<string> {
    const request: OpenAIRequestContext = {
      stage: 'interviewer',
      endpoint: ENDPOINT,
      model: this.model,
      baseURL: this.client.baseURL,
      signal,
    };
    const started = this.client.chat.completions
      .create(
        {
          model: this.model,
          messages: buildInterviewerMessages(context, move),
          stream: true,
          // The last chunk then carries the token counts, for the cost meter.
          stream_options: { include_usage: true },
        },
        { signal },
      )
      .withResponse();
    // Until someone iterates, a failure must not surface as an unhandled rejection.
    started.catch(() => undefined);
    const idleMs = this.client.timeout;
    const report = (usage: ChatUsage | undefined | null) => {
      if (usage) {
        this.onUsage?.({
          stage: 'interviewer',
          model: this.model,
          inputTokens: usage.prompt_tokens ?? 0,
          outputTokens: usage.completion_tokens ?? 0,
        });
      }
    };

    return {
      async *[Symbol.asyncIterator]() {
        try {
          const { data: chunks, response } = await started;
          const unstreamed = await jsonInsteadOfStream(response);
          if (unstreamed !== undefined) {
            const text = textOfChatCompletion(unstreamed);
            report((unstreamed as { usage?: ChatUsage } | null)?.usage);
            if (text) yield text;
            return;
          }
          for await (const chunk of withIdleTimeout(chunks, idleMs, () =>
            chunks.controller.abort(),
          )) {
            if (chunk.usage) report(chunk.usage);
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) yield delta;
          }
        } catch (error) {
          throw toProviderError(error, request);
        }
        // The SDK ends an aborted stream quietly; the caller must learn it was cut short.
        if (signal?.aborted) throw toProviderError(signal.reason, request);
      },
    };
  }
}
