import type { Persona } from '../../core/roundPack';
import type { TextToSpeech } from '../types';
import { withRetries, type RetryPolicy, type StatusListener } from './retryPolicy';

/**
 * Speech per sentence, retried until its first audio arrives (a retry later would repeat
 * words already played); then the embedded voice speaks the sentence when a fallback is
 * given, so the round goes on.
 */
export class ResilientTextToSpeech implements TextToSpeech {
  constructor(
    private readonly inner: TextToSpeech,
    private readonly fallback: TextToSpeech | null,
    private readonly policy: RetryPolicy,
    private readonly onStatus: StatusListener,
  ) {}

  get info() {
    return this.inner.info;
  }

  async *synthesize(
    text: string,
    persona: Persona,
    signal?: AbortSignal,
  ): AsyncIterable<Int16Array> {
    let started = false;
    try {
      const { iterator, head } = await withRetries(
        'tts',
        async () => {
          const iterator = this.inner.synthesize(text, persona, signal)[Symbol.asyncIterator]();
          return { iterator, head: await iterator.next() };
        },
        this.policy,
        this.onStatus,
        signal,
      );
      for (let next = head; !next.done; next = await iterator.next()) {
        started = true;
        yield next.value;
      }
    } catch (error) {
      if (signal?.aborted || started || !this.fallback) throw error;
      this.onStatus({
        stage: 'tts',
        state: 'fallback',
        message: 'The speech service is not answering; the embedded voice speaks instead.',
      });
      yield* this.fallback.synthesize(text, persona, signal);
    }
  }
}
