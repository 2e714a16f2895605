import type { ProviderError } from '../types';

/** Messages between the backend and the local speech-to-text host process. */
export type WhisperRequest =
  | {
      type: 'transcribe';
      id: number;
      /** The ggml model file. */
      modelPath: string;
      /** Mono 16-bit PCM at `sampleRate`; the host brings it to whisper's 16 kHz, so the
       * filtering costs the host's time, not the backend's. */
      pcm: Int16Array;
      sampleRate: number;
      language: string;
      /** Words that came before, to keep names and spelling consistent. */
      prompt?: string;
      threads: number;
    }
  | { type: 'cancel'; id: number }
  /** Can the engine start here? (Loads whisper.cpp's library, no model.) */
  | { type: 'probe'; id: number };

export type WhisperReply =
  | { id: number; ok: true; text: string; processingMs: number; loadMs: number }
  | { id: number; ok: true; probe: true }
  | { id: number; ok: false; code: ProviderError['code']; message: string };
