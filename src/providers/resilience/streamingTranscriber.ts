import { concat } from '../batchLiveTranscriber';
import type { LiveTranscriber, ProviderError, ProviderInfo, SpeechToText } from '../types';
import { isRetryable, retryDelayMs, type RetryPolicy, type StatusListener } from './retryPolicy';

/**
 * A connection that hears audio as it is spoken (a Realtime transcription session): each
 * commit is one piece; interim text and the connection's loss are reported.
 */
export interface TranscriptionStream {
  append(pcm: Int16Array): void;
  /** Resolves to the piece's final text; rejects with a ProviderError. */
  commit(): Promise<string>;
  /** `commit`: the piece's place among this stream's commits, from 0. */
  onInterim(listener: (commit: number, text: string) => void): void;
  onClose(listener: (error: ProviderError) => void): void;
  close(): void;
}

export type OpenTranscriptionStream = (signal: AbortSignal) => Promise<TranscriptionStream>;

/**
 * Streaming transcription when the server offers it, piece uploads when it does not — and
 * while it is (re)connecting, so no piece waits for a connection. A server without the
 * Realtime endpoint (404, a refused session) is transcribed by upload for the whole round
 * without fuss. A connection that drops is re-opened with the retry policy's backoff,
 * visibly ("Reconnecting…"); the pieces it had not answered go by upload, once.
 */
export class StreamingLiveTranscriber implements LiveTranscriber {
  private stream: TranscriptionStream | null = null;
  /** Pieces are said by upload for the rest of the round. */
  private uploadsOnly = false;
  private current: Int16Array[] = [];
  /** The piece being spoken went to the stream from its first sample. */
  private currentStreamed = false;
  private pieces = 0;
  /** Piece number of each commit made on the current stream. */
  private streamCommits: number[] = [];
  private listener: ((piece: number, text: string) => void) | null = null;
  private readonly controller = new AbortController();
  private opened = false;

  constructor(
    readonly info: ProviderInfo,
    private readonly openStream: OpenTranscriptionStream,
    private readonly uploads: SpeechToText,
    private readonly policy: RetryPolicy,
    private readonly onStatus: StatusListener,
  ) {}

  open(): void {
    if (this.opened) return;
    this.opened = true;
    void this.connect(false);
  }

  append(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.current.push(pcm);
    if (this.currentStreamed) this.stream?.append(pcm);
  }

  commit(options: { prompt?: string; signal?: AbortSignal }): Promise<string> {
    const audio = concat(this.current);
    const piece = this.pieces++;
    const stream = this.currentStreamed ? this.stream : null;
    this.current = [];
    // The next piece goes to the stream if it is up now (it starts empty there).
    this.currentStreamed = this.stream !== null;
    if (!stream) return this.upload(piece, audio, options);
    this.streamCommits.push(piece);
    return stream.commit().catch((error: unknown) => {
      if (options.signal?.aborted) throw error;
      // Lost with the connection, or failed there: sent once more, by upload.
      return this.upload(piece, audio, options);
    });
  }

  onInterim(listener: (piece: number, text: string) => void): void {
    this.listener = listener;
  }

  close(): void {
    this.controller.abort();
    this.stream?.close();
    this.stream = null;
  }

  private upload(
    piece: number,
    audio: Int16Array,
    options: { prompt?: string; signal?: AbortSignal },
  ): Promise<string> {
    return this.uploads.transcribe(audio, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.prompt ? { prompt: options.prompt } : {}),
      onDelta: (text) => this.listener?.(piece, text),
    });
  }

  /** Opens the stream, retrying what may pass; `again`: a connection was lost. */
  private async connect(again: boolean): Promise<void> {
    const signal = this.controller.signal;
    if (again) {
      this.onStatus({
        stage: 'stt',
        state: 'reconnecting',
        message:
          'Streaming transcription dropped; reconnecting (speech is transcribed by upload meanwhile)…',
      });
    }
    for (let attempt = 1; !signal.aborted && !this.uploadsOnly; attempt++) {
      try {
        const stream = await this.openStream(signal);
        if (signal.aborted) return stream.close();
        this.attach(stream);
        if (again || attempt > 1) {
          this.onStatus({
            stage: 'stt',
            state: 'recovered',
            message: 'Streaming transcription is back.',
          });
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (!isRetryable(error)) {
          // This server has no streaming transcription (or refuses it): uploads it is.
          this.uploadsOnly = true;
          if (again) this.fallback();
          return;
        }
        if (attempt > this.policy.retries) {
          this.uploadsOnly = true;
          this.fallback();
          return;
        }
        const retryInMs = retryDelayMs(attempt, error, this.policy);
        this.onStatus({
          stage: 'stt',
          state: 'reconnecting',
          attempt,
          retryInMs,
          message: `Reconnecting to streaming transcription (try ${attempt + 1} of ${this.policy.retries + 1}); speech is transcribed by upload meanwhile…`,
        });
        await this.policy.sleep(retryInMs, signal).catch(() => undefined);
      }
    }
  }

  private attach(stream: TranscriptionStream): void {
    this.stream = stream;
    this.streamCommits = [];
    // Between pieces, the next one can start on the stream; one half spoken stays on upload.
    if (this.current.length === 0) this.currentStreamed = true;
    stream.onInterim((commit, text) => {
      const piece = this.streamCommits[commit];
      if (piece !== undefined) this.listener?.(piece, text);
    });
    stream.onClose(() => {
      if (this.stream !== stream) return;
      this.stream = null;
      this.currentStreamed = false;
      void this.connect(true);
    });
  }

  private fallback(): void {
    this.onStatus({
      stage: 'stt',
      state: 'fallback',
      message: 'Streaming transcription is unavailable; speech is transcribed by upload.',
    });
  }
}
