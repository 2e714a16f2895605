import { SAMPLE_RATE } from '../../core/audioFormat';
import type { SpeechToText } from '../types';
import type { WhisperResult, WhisperRunner } from './whisperRunner';

/**
 * Speech-to-text on this computer: whisper.cpp (through its Node binding, in the host
 * process a `WhisperRunner` runs) with a model from the data folder. Nothing leaves the
 * machine. Used through the live transcriber like any batch speech-to-text: each stretch
 * of speech is transcribed once, as it ends.
 */
export class LocalSpeechToText implements SpeechToText {
  readonly info: { kind: string; model: string };

  constructor(
    private readonly options: {
      host: WhisperRunner;
      modelPath: string;
      /** The catalog id of the model (what session.json records). */
      modelId: string;
      language?: string;
      /** CPU threads for decoding; the round's own work keeps the rest. */
      threads?: number;
      /** How long each piece took, for the benchmark and diagnostics. */
      onResult?: (result: WhisperResult, audioMs: number) => void;
    },
  ) {
    this.info = { kind: 'local', model: options.modelId };
  }

  async transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; prompt?: string },
  ): Promise<string> {
    const result = await this.options.host.transcribe(
      {
        modelPath: this.options.modelPath,
        pcm: audio,
        sampleRate: SAMPLE_RATE,
        language: this.options.language ?? 'en',
        threads: this.options.threads ?? 2,
        ...(options.prompt ? { prompt: options.prompt } : {}),
      },
      options.signal,
    );
    this.options.onResult?.(result, (audio.length / SAMPLE_RATE) * 1000);
    return result.text;
  }
}
