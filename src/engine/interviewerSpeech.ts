import { SentenceChunker } from '../core/sentences';
import type { Persona } from '../core/roundPack';
import type { TextToSpeech } from '../providers/types';

export interface SpeechSink {
  /** A sentence's audio is about to follow. */
  sentence(text: string): void;
  chunk(pcm: Int16Array): void;
}

/**
 * Streams a reply into speech: each sentence goes to text-to-speech as soon as it is
 * complete, so the first words play while the model is still writing the rest.
 * Resolves with the full text once every sentence has been sent.
 */
export async function speakReply(
  text: AsyncIterable<string>,
  persona: Persona,
  tts: TextToSpeech,
  sink: SpeechSink,
  signal: AbortSignal,
): Promise<string> {
  const chunker = new SentenceChunker();
  const spoken: string[] = [];
  let queue: Promise<void> = Promise.resolve();

  const enqueue = (sentence: string) => {
    // Chained so sentences are sent in order.
    queue = queue.then(async () => {
      if (signal.aborted) return;
      sink.sentence(sentence);
      spoken.push(sentence);
      for await (const pcm of tts.synthesize(sentence, persona, signal)) {
        if (signal.aborted) return;
        sink.chunk(pcm);
      }
    });
  };

  try {
    for await (const delta of text) {
      if (signal.aborted) break;
      for (const sentence of chunker.push(delta)) enqueue(sentence);
    }
  } catch (error) {
    // The text failed: the caller aborts; queued sentences must not then fail unhandled.
    queue.catch(() => undefined);
    throw error;
  }
  if (!signal.aborted) for (const sentence of chunker.flush()) enqueue(sentence);
  await queue;
  return spoken.join(' ');
}
