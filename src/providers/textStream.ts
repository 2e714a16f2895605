/** Wraps finished text as the stream the interviewer interface returns. */
export async function* textStream(text: string): AsyncIterable<string> {
  yield text;
}
