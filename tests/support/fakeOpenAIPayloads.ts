/**
 * Response bodies of the fake OpenAI server, shaped like the real API's (see openai-node's
 * ChatCompletion, ChatCompletionChunk, Transcription and TranscriptionStreamEvent types),
 * so the real SDK parses them exactly as it would parse OpenAI's.
 */

const CREATED = 1_700_000_000;

/** Splits text into word-sized deltas that concatenate back to the exact text. */
export function toDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

export function chatCompletionJson(id: string, model: string, content: string): object {
  return {
    id,
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: toDeltas(content).length, total_tokens: 10 },
  };
}

/** SSE `data:` payloads of a streamed chat completion, ending with `[DONE]`. */
export function chatCompletionChunks(
  id: string,
  model: string,
  content: string,
  includeUsage = false,
): string[] {
  const chunk = (delta: object, finishReason: string | null) =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...toDeltas(content).map((piece) => chunk({ content: piece }, null)),
    chunk({}, 'stop'),
    // As OpenAI does with stream_options.include_usage: a last chunk with no choices.
    ...(includeUsage
      ? [
          JSON.stringify({
            id,
            object: 'chat.completion.chunk',
            created: CREATED,
            model,
            choices: [],
            usage: {
              prompt_tokens: 100,
              completion_tokens: toDeltas(content).length,
              total_tokens: 100 + toDeltas(content).length,
            },
          }),
        ]
      : []),
    '[DONE]',
  ];
}

/** SSE `data:` payloads of a streamed transcription: deltas, then the done event. */
export function transcriptionEvents(text: string): string[] {
  const usage = { type: 'tokens', input_tokens: 20, output_tokens: 5, total_tokens: 25 };
  return [
    ...toDeltas(text).map((delta) => JSON.stringify({ type: 'transcript.text.delta', delta })),
    JSON.stringify({ type: 'transcript.text.done', text, usage }),
  ];
}

export function transcriptionJson(text: string, audioSeconds: number): object {
  return { text, usage: { type: 'duration', seconds: Math.ceil(audioSeconds) } };
}

export function modelList(ids: readonly string[]): object {
  return {
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'fake' })),
  };
}

/** OpenAI's error envelope for a status code; `code` picks e.g. insufficient_quota. */
export function errorBody(status: number, code?: string): object {
  const known: Record<number, { message: string; type: string; code: string | null }> = {
    400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
    401: {
      message: 'Incorrect API key provided: sk-fake***. You can find your API key in your account.',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    },
    403: { message: 'Forbidden.', type: 'invalid_request_error', code: null },
    404: { message: 'Not found.', type: 'invalid_request_error', code: 'unknown_url' },
    429: {
      message: 'Rate limit reached for requests. Please try again shortly.',
      type: 'requests',
      code: 'rate_limit_exceeded',
    },
  };
  if (status === 429 && code === 'insufficient_quota') {
    return {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    };
  }
  const base = known[status] ?? {
    message: 'The server had an error while processing your request.',
    type: 'server_error',
    code: null,
  };
  return { error: { ...base, param: null, code: code ?? base.code } };
}

/**
 * The fake interviewer's default line: echoes the end of the latest user message so tests
 * can see the candidate's words reached the model. `messages` is the request's array.
 */
export function defaultChatReply(messages: unknown): string {
  const list = Array.isArray(messages) ? (messages as unknown[]) : [];
  const lastUser = [...list].reverse().find((m): m is { role: 'user'; content: string } => {
    const message = m as { role?: unknown; content?: unknown };
    return message.role === 'user' && typeof message.content === 'string';
  });
  if (!lastUser) return 'Hello, thanks for joining. To start, tell me about a system you built.';
  const words = lastUser.content
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const topic = words.slice(-6).join(' ') || 'that';
  return `Thanks. Can you tell me more about ${topic}?`;
}
