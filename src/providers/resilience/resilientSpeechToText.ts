import type { SpeechToText } from '../types';
import { withRetries, type RetryPolicy, type StatusListener } from './retryPolicy';

/** Transcription retried on transient failures; the caller keeps the turn if it still fails. */
export class ResilientSpeechToText implements SpeechToText {
  constructor(
    private readonly inner: SpeechToText,
    private readonly policy: RetryPolicy,
    private readonly onStatus: StatusListener,
  ) {}

  get info() {
    return this.inner.info;
  }

  transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (textSoFar: string) => void; prompt?: string },
  ): Promise<string> {
    return withRetries(
      'stt',
      () => this.inner.transcribe(audio, options),
      this.policy,
      this.onStatus,
      options.signal,
    );
  }
}
