import type { LiveTranscriber, ProviderInfo, SpeechToText } from './types';

/**
 * A batch transcriber (one request per stretch of audio: OpenAI's transcription endpoint,
 * a compatible server, a local engine) as a live one: a piece's audio is kept until it is
 * committed, then sent once. Partial text streamed back while it is transcribed is the
 * piece's interim text.
 */
export class BatchLiveTranscriber implements LiveTranscriber {
  private buffered: Int16Array[] = [];
  private committed = 0;
  private listener: ((piece: number, text: string) => void) | null = null;

  constructor(private readonly stt: SpeechToText) {}

  get info(): ProviderInfo {
    return this.stt.info;
  }

  append(pcm: Int16Array): void {
    if (pcm.length > 0) this.buffered.push(pcm);
  }

  commit(options: { prompt?: string; signal?: AbortSignal }): Promise<string> {
    const audio = concat(this.buffered);
    this.buffered = [];
    const piece = this.committed++;
    return this.stt.transcribe(audio, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.prompt ? { prompt: options.prompt } : {}),
      onDelta: (text) => this.listener?.(piece, text),
    });
  }

  onInterim(listener: (piece: number, text: string) => void): void {
    this.listener = listener;
  }

  close(): void {
    this.buffered = [];
  }
}

export function concat(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
