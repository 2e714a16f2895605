import type OpenAI from 'openai';
import { z } from 'zod';
import { ProviderError } from '../types';
import { toProviderError } from './openaiErrors';

/**
 * One JSON answer from a chat model through structured output (`json_schema`), checked
 * with the same zod schema on arrival — compatible servers do not all enforce the schema.
 * Invalid output gets exactly one repair attempt that tells the model what was wrong;
 * after that the caller gets a clear error, never a made-up value.
 */
export interface StructuredRequest<T> {
  client: OpenAI;
  model: string;
  /** Names the output for the schema and for messages ("scorecard", "debrief"). */
  name: string;
  schema: z.ZodType<T>;
  messages: OpenAI.Chat.ChatCompletionMessageParam[];
  /** Checks the schema cannot express (e.g. "every rubric criterion exactly once"). */
  check?: (value: T) => string[];
  /**
   * Ask the server to enforce the schema (OpenAI's strict structured outputs). Only for
   * schemas that fit its subset: every property required, no extra keys.
   */
  strict?: boolean;
  signal?: AbortSignal;
}

export interface StructuredResult<T> {
  value: T;
  /** Whether the first answer was invalid and the repaired one was used. */
  repaired: boolean;
}

export async function completeStructured<T>(
  request: StructuredRequest<T>,
): Promise<StructuredResult<T>> {
  const { client, model, name, schema } = request;
  const context = {
    stage: 'interviewer' as const,
    endpoint: '/chat/completions',
    model,
    baseURL: client.baseURL,
  };
  const messages = [...request.messages];
  const jsonSchema = structuredOutputSchema(schema);
  let lastProblems: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    let raw: string;
    try {
      const completion = await client.chat.completions.create(
        {
          model,
          messages,
          response_format: {
            type: 'json_schema',
            json_schema: { name, schema: jsonSchema, ...(request.strict ? { strict: true } : {}) },
          },
        },
        request.signal ? { signal: request.signal } : undefined,
      );
      raw = completion.choices[0]?.message?.content ?? '';
    } catch (error) {
      throw toProviderError(error, context);
    }
    const parsed = schema.safeParse(safeJson(raw));
    lastProblems = parsed.success
      ? (request.check?.(parsed.data) ?? [])
      : parsed.error.issues.map((i) => `${i.path.join('.') || 'root'}: ${i.message}`);
    if (parsed.success && lastProblems.length === 0) {
      return { value: parsed.data, repaired: attempt > 0 };
    }
    messages.push(
      { role: 'assistant', content: raw },
      {
        role: 'system',
        content: `That was not a valid ${name} (${lastProblems.slice(0, 5).join('; ') || 'not JSON'}). Reply again with the corrected JSON only.`,
      },
    );
  }
  throw new ProviderError(
    'interviewer',
    'bad-response',
    `The model "${model}" did not return a valid ${name} twice in a row (${lastProblems[0] ?? 'not JSON'}). Try again, or choose another model.`,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return undefined;
  }
}

/** The JSON Schema sent to the server: zod's, without the `$schema` key servers reject. */
export function structuredOutputSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}
