/**
 * Some OpenAI-compatible servers ignore `stream: true` and answer with one JSON body. The
 * SDK would read that body as an empty event stream, so a transcript or a reply would
 * silently come out empty. Callers check the response first and read the JSON instead.
 */
export async function jsonInsteadOfStream(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/event-stream') || !type.includes('json')) return undefined;
  return (await response.json()) as unknown;
}

export function textOfTranscription(body: unknown): string {
  const text = (body as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

export function textOfChatCompletion(body: unknown): string {
  const choices = (body as { choices?: { message?: { content?: unknown } }[] } | null)?.choices;
  const content = choices?.[0]?.message?.content;
  return typeof content === 'string' ? content : '';
}
