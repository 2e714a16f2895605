import type OpenAI from 'openai';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import { SAMPLE_RATE } from '../../core/audioFormat';
import { resampleLinear } from '../../core/resample';
import type { Persona } from '../../core/roundPack';
import type { UsageRecord } from '../../core/usage';
import { decodeWavPcm16 } from '../../core/wav';
import { ProviderError, type ProviderInfo, type TextToSpeech } from '../types';
import { withIdleTimeout } from './openaiClient';
import { toProviderError, type OpenAIRequestContext } from './openaiErrors';

export interface OpenAITextToSpeechOptions {
  client: OpenAI;
  /** e.g. gpt-4o-mini-tts, tts-1. */
  model: string;
  /** 0.25 to 4; the server default (1) when not given. */
  speed?: number;
  /** Characters and audio of each sentence, for the cost meter. */
  onUsage?: (usage: UsageRecord) => void;
}

const ENDPOINT = '/audio/speech';
/** The speech endpoint's input limit, in characters. */
const MAX_INPUT_CHARS = 4096;

/** tts-1 and tts-1-hd reject `instructions`; newer speech models take them. */
export function modelTakesInstructions(model: string): boolean {
  return !/^tts-1/.test(model);
}

/**
 * Text-to-speech over OpenAI's speech endpoint with `pcm` output: 24 kHz mono signed
 * 16-bit little-endian, the app's own format, so chunks play as they arrive with no
 * decoding or resampling.
 */
export class OpenAITextToSpeech implements TextToSpeech {
  readonly info: ProviderInfo;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly speed: number | undefined;
  private readonly onUsage: ((usage: UsageRecord) => void) | undefined;

  constructor(options: OpenAITextToSpeechOptions) {
    this.client = options.client;
    this.model = options.model;
    this.speed = options.speed;
    this.onUsage = options.onUsage;
    this.info = { kind: 'openai', model: options.model };
  }

  async *synthesize(
    text: string,
    persona: Persona,
    signal?: AbortSignal,
  ): AsyncIterable<Int16Array> {
    for (const piece of splitForSpeech(text.trim(), MAX_INPUT_CHARS)) {
      yield* this.synthesizePiece(piece, persona, signal);
    }
  }

  private async *synthesizePiece(
    input: string,
    persona: Persona,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<Int16Array> {
    const request: OpenAIRequestContext = {
      stage: 'tts',
      endpoint: ENDPOINT,
      model: this.model,
      baseURL: this.client.baseURL,
      signal,
    };
    const params: SpeechCreateParams = {
      model: this.model,
      voice: persona.voice.openai,
      input,
      response_format: 'pcm',
      ...(modelTakesInstructions(this.model) ? { instructions: persona.voice.instructions } : {}),
      // gpt-4o-mini-tts takes pace from its instructions; older models from `speed`.
      ...(this.speed !== undefined
        ? { speed: this.speed }
        : !modelTakesInstructions(this.model) && persona.voice.pace !== 1
          ? { speed: persona.voice.pace }
          : {}),
    };
    try {
      const response = await this.client.audio.speech.create(params, { signal });
      const contentType = response.headers.get('content-type') ?? '';
      if (/json|text\//i.test(contentType)) {
        await response.body?.cancel();
        throw new ProviderError(
          'tts',
          'bad-response',
          `The server sent text instead of audio from ${ENDPOINT}. Check that it supports pcm speech output.`,
        );
      }
      if (/mpeg|mp3|ogg|opus|aac|flac|webm/i.test(contentType)) {
        await response.body?.cancel();
        throw new ProviderError(
          'tts',
          'bad-response',
          `The server answered ${ENDPOINT} with ${contentType} audio; Mockloop needs pcm or wav speech.`,
        );
      }
      if (!response.body) return;
      const reader = response.body.getReader();
      const bytes = withIdleTimeout(readerChunks(reader), this.client.timeout, () => {
        void reader.cancel().catch(() => undefined);
      });
      let samples = 0;
      for await (const chunk of decodeSpeech(bytes)) {
        samples += chunk.length;
        yield chunk;
      }
      this.onUsage?.({
        stage: 'tts',
        model: this.model,
        characters: input.length,
        audioSeconds: samples / SAMPLE_RATE,
      });
      if (signal?.aborted) throw signal.reason;
    } catch (error) {
      throw toProviderError(error, request);
    }
  }
}

/**
 * Raw 24 kHz PCM streams straight through. A server that sends WAV instead (many
 * compatible servers ignore `response_format: pcm`) is read whole, then converted.
 */
async function* decodeSpeech(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Int16Array> {
  const pcm = new Pcm16Decoder();
  // Sniff the bytes, not the header: servers label raw PCM as audio/wav and vice versa.
  let wav: Uint8Array[] | null = null;
  let first = true;
  for await (const chunk of bytes) {
    if (first && chunk.length >= 4 && String.fromCharCode(...chunk.subarray(0, 4)) === 'RIFF') {
      wav = [];
    }
    first = false;
    if (wav) {
      wav.push(chunk);
      continue;
    }
    const samples = pcm.push(chunk);
    if (samples.length > 0) yield samples;
  }
  if (!wav) return;
  const whole = new Uint8Array(wav.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of wav) {
    whole.set(c, offset);
    offset += c.length;
  }
  const { samples, info } = decodeWavPcm16(whole);
  const mono = downmix(samples, info.channels);
  const speech = resampleLinear(mono, info.sampleRate, SAMPLE_RATE);
  const step = SAMPLE_RATE / 10;
  for (let i = 0; i < speech.length; i += step) yield speech.slice(i, i + step);
}

function downmix(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const out = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c] ?? 0;
    out[i] = Math.round(sum / channels);
  }
  return out;
}

async function* readerChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Turns a byte stream into 16-bit samples. Network chunks can end halfway through a
 * sample, so an odd trailing byte is carried into the next chunk.
 */
export class Pcm16Decoder {
  private carry: number | undefined;

  push(chunk: Uint8Array): Int16Array {
    const carried = this.carry === undefined ? 0 : 1;
    const total = carried + chunk.length;
    const samples = new Int16Array(Math.floor(total / 2));
    const byteAt = (i: number): number =>
      carried && i === 0 ? (this.carry ?? 0) : (chunk[i - carried] ?? 0);
    for (let s = 0; s < samples.length; s++) {
      // Little-endian: low byte first; `<< 16 >> 16` sign-extends to a 16-bit value.
      samples[s] = ((byteAt(2 * s) | (byteAt(2 * s + 1) << 8)) << 16) >> 16;
    }
    this.carry = total % 2 === 1 ? chunk[chunk.length - 1] : undefined;
    return samples;
  }

  /** True when a half sample is still waiting for its second byte. */
  get pending(): boolean {
    return this.carry !== undefined;
  }
}

/** Splits text longer than the endpoint accepts at sentence (else word) boundaries. */
export function splitForSpeech(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const sentenceEnd = Math.max(
      window.lastIndexOf('. '),
      window.lastIndexOf('? '),
      window.lastIndexOf('! '),
    );
    const cut = sentenceEnd > 0 ? sentenceEnd + 1 : window.lastIndexOf(' ');
    const at = cut > 0 ? cut : maxChars;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
