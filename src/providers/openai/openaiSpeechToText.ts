import type OpenAI from 'openai';
import { toFile } from 'openai';
import { SAMPLE_RATE } from '../../core/audioFormat';
import { encodeWavPcm16 } from '../../core/wav';
import type { UsageRecord } from '../../core/usage';
import type { ProviderInfo, SpeechToText } from '../types';
import { withIdleTimeout } from './openaiClient';
import { jsonInsteadOfStream, textOfTranscription } from './unstreamedReply';
import { toProviderError, type OpenAIRequestContext } from './openaiErrors';

export interface OpenAISpeechToTextOptions {
  client: OpenAI;
  /** e.g. gpt-4o-transcribe, gpt-4o-mini-transcribe, whisper-1. */
  model: string;
  /** Force streaming on or off; by default only whisper models are asked not to stream. */
  stream?: boolean;
  /** ISO-639-1 code; improves accuracy and latency when known. */
  language?: string;
  /** Usage of each transcription, for the cost meter. */
  onUsage?: (usage: UsageRecord) => void;
}

const ENDPOINT = '/audio/transcriptions';

/** Whisper models do not stream (OpenAI ignores `stream` for whisper-1). */
export function modelStreamsTranscripts(model: string): boolean {
  return !/whisper/i.test(model);
}

/**
 * Speech-to-text over OpenAI's transcription endpoint. Each candidate turn is uploaded as
 * one WAV (any OpenAI-compatible server can identify it); streaming models report partial
 * text through `onDelta` while the rest is still being transcribed.
 */
export class OpenAISpeechToText implements SpeechToText {
  readonly info: ProviderInfo;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly stream: boolean;
  private readonly language: string | undefined;
  private readonly onUsage: ((usage: UsageRecord) => void) | undefined;

  constructor(options: OpenAISpeechToTextOptions) {
    this.client = options.client;
    this.model = options.model;
    this.stream = options.stream ?? modelStreamsTranscripts(options.model);
    this.language = options.language;
    this.onUsage = options.onUsage;
    this.info = { kind: 'openai', model: options.model };
  }

  async transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (textSoFar: string) => void; prompt?: string },
  ): Promise<string> {
    if (audio.length === 0) return '';
    const context: OpenAIRequestContext = {
      stage: 'stt',
      endpoint: ENDPOINT,
      model: this.model,
      baseURL: this.client.baseURL,
      signal: options.signal,
    };
    try {
      const file = await toFile(encodeWavPcm16(audio, SAMPLE_RATE, 1), 'turn.wav', {
        type: 'audio/wav',
      });
      const params = {
        file,
        model: this.model,
        ...(options.prompt ? { prompt: options.prompt } : {}),
        ...(this.language ? { language: this.language } : {}),
      };
      let text: string;
      if (!this.stream) {
        const result = await this.client.audio.transcriptions.create(params, {
          signal: options.signal,
        });
        text = result.text.trim();
        options.onDelta?.(text);
      } else {
        text = await this.transcribeStreaming(params, options, context);
      }
      // Audio length is what per-minute prices count; tokens are added when reported.
      this.onUsage?.({ stage: 'stt', model: this.model, audioSeconds: audio.length / SAMPLE_RATE });
      return text;
    } catch (error) {
      throw toProviderError(error, context);
    }
  }

  private async transcribeStreaming(
    params: { file: File; model: string; prompt?: string; language?: string },
    options: { signal?: AbortSignal; onDelta?: (textSoFar: string) => void },
    context: OpenAIRequestContext,
  ): Promise<string> {
    const { data: stream, response } = await this.client.audio.transcriptions
      .create({ ...params, stream: true }, { signal: options.signal })
      .withResponse();
    const unstreamed = await jsonInsteadOfStream(response);
    if (unstreamed !== undefined) {
      const text = textOfTranscription(unstreamed).trim();
      options.onDelta?.(text);
      return text;
    }
    let soFar = '';
    let final: string | undefined;
    const events = withIdleTimeout(stream, this.client.timeout, () => stream.controller.abort());
    for await (const event of events) {
      if (event.type === 'transcript.text.delta') {
        soFar += event.delta;
        options.onDelta?.(soFar.trimStart());
      } else if (event.type === 'transcript.text.done') {
        final = event.text;
        const usage = (
          event as { usage?: { type?: string; input_tokens?: number; output_tokens?: number } }
        ).usage;
        if (usage?.type === 'tokens') {
          this.onUsage?.({
            stage: 'stt',
            model: this.model,
            inputTokens: usage.input_tokens ?? 0,
            outputTokens: usage.output_tokens ?? 0,
          });
        }
      }
    }
    // The SDK ends an aborted stream quietly; the caller must still learn it was cut short.
    if (options.signal?.aborted) throw toProviderError(options.signal.reason, context);
    return (final ?? soFar).trim();
  }
}
