import { SAMPLE_RATE } from '../../core/audioFormat';
import type { Persona } from '../../core/roundPack';
import type {
  InterviewContext,
  Interviewer,
  InterviewerReply,
  SpeechToText,
  TextToSpeech,
} from '../types';
import { seededDelays, sleep } from './seededDelay';

/**
 * Fakes of each stage with seeded delays, for tests and the benchmark. They do real
 * work of the right shape (stream tokens, produce audio of a length that follows the
 * text) so the engine is exercised as with real providers.
 */
export interface FakeDelays {
  seed?: number;
  /** Delay before the first output, ms. */
  firstMs?: [number, number];
  /** Delay between later outputs, ms. */
  stepMs?: [number, number];
}

function delaysFrom(options: FakeDelays) {
  const seed = options.seed ?? 1;
  return {
    first: seededDelays(seed, ...(options.firstMs ?? [0, 0])),
    step: seededDelays(seed + 1, ...(options.stepMs ?? [0, 0])),
  };
}

export class FakeSpeechToText implements SpeechToText {
  readonly info = { kind: 'fake', model: 'scripted transcripts' };
  private readonly delays;
  private index = 0;

  constructor(
    private readonly transcripts: string[],
    options: FakeDelays = {},
  ) {
    this.delays = delaysFrom(options);
  }

  async transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (soFar: string) => void },
  ): Promise<string> {
    await sleep(this.delays.first(), options.signal);
    const text = this.transcripts[this.index++ % Math.max(1, this.transcripts.length)] ?? '';
    let soFar = '';
    for (const word of text.split(' ')) {
      soFar = soFar ? `${soFar} ${word}` : word;
      options.onDelta?.(soFar);
    }
    return audio.length === 0 ? '' : text;
  }
}

export class FakeInterviewer implements Interviewer {
  readonly info = { kind: 'fake', model: 'scripted replies' };
  private readonly delays;
  private index = 0;
  readonly contexts: InterviewContext[] = [];

  constructor(
    private readonly replies: string[],
    options: FakeDelays = {},
  ) {
    this.delays = delaysFrom(options);
  }

  open(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    return this.reply(context, signal);
  }

  reply(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    this.contexts.push(context);
    const text = this.replies[this.index++ % Math.max(1, this.replies.length)] ?? '';
    return { text: this.stream(text, signal) };
  }

  private async *stream(text: string, signal?: AbortSignal): AsyncIterable<string> {
    await sleep(this.delays.first(), signal);
    const tokens = text.match(/\S+\s*/g) ?? [];
    for (const [i, token] of tokens.entries()) {
      if (i > 0) await sleep(this.delays.step(), signal);
      yield token;
    }
  }
}

export class FakeTextToSpeech implements TextToSpeech {
  readonly info = { kind: 'fake', model: 'tone' };
  private readonly delays;

  constructor(
    private readonly msPerChar = 50,
    options: FakeDelays = {},
    /** Speech to speak from instead of a tone (so echo of it sounds like speech). */
    private readonly voice?: Int16Array,
  ) {
    this.delays = delaysFrom(options);
  }

  async *synthesize(
    text: string,
    _persona: Persona,
    signal?: AbortSignal,
  ): AsyncIterable<Int16Array> {
    await sleep(this.delays.first(), signal);
    const total = Math.round((text.length * this.msPerChar * SAMPLE_RATE) / 1000);
    const chunk = SAMPLE_RATE / 10;
    for (let offset = 0; offset < total; offset += chunk) {
      const pcm = new Int16Array(Math.min(chunk, total - offset));
      const voice = this.voice;
      // The same text always takes the same stretch of the voice.
      const from = voice && voice.length > 0 ? textHash(text) % voice.length : 0;
      for (let i = 0; i < pcm.length; i++) {
        if (voice && voice.length > 0) {
          pcm[i] = voice[(from + offset + i) % voice.length] ?? 0;
        } else {
          const t = (offset + i) / SAMPLE_RATE;
          pcm[i] = Math.round(6000 * Math.sin(2 * Math.PI * 220 * t));
        }
      }
      yield pcm;
    }
  }
}

function textHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
