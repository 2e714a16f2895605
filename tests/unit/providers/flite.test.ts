import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { resampleLinear } from '../../../src/core/resample';
import type { EmbeddedVoice, Persona } from '../../../src/core/roundPack';
import {
  FliteTextToSpeech,
  speakablePieces,
} from '../../../src/providers/embedded/fliteTextToSpeech';
import { ChildProcessFlite } from '../../../src/providers/embedded/fliteProcess';
import { ProviderError } from '../../../src/providers/types';

const RATE = 24_000;
const SENTENCE = 'Tell me about a system you designed and what you would change today.';

function persona(embedded: EmbeddedVoice, pace = 1): Persona {
  return {
    name: 'Dana',
    role: 'Staff engineer',
    temperament: 'calm',
    speakingStyle: 'brief',
    voice: { openai: 'cedar', embedded, instructions: 'Speak calmly.', pace },
    probing: { prefer: ['why'], maxFollowUps: 1 },
  };
}

async function speak(tts: FliteTextToSpeech, text: string, voice: EmbeddedVoice = 'slt', pace = 1) {
  const chunks: Int16Array[] = [];
  for await (const chunk of tts.synthesize(text, persona(voice, pace))) chunks.push(chunk);
  const pcm = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    pcm.set(c, at);
    at += c.length;
  }
  return { chunks, pcm, seconds: pcm.length / RATE };
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

describe('resampleLinear', () => {
  it('makes 16 kHz audio 1.5 times longer at 24 kHz and interpolates between samples', () => {
    const out = resampleLinear(Int16Array.from([0, 300, 600, 900]), 16_000, 24_000);
    expect(Array.from(out)).toEqual([0, 200, 400, 600, 800, 900]);
  });

  it('keeps a constant signal constant and the length proportional', () => {
    const out = resampleLinear(new Int16Array(8000).fill(-1234), 8000, 24_000);
    expect(out.length).toBe(24_000);
    expect(out.every((s) => s === -1234)).toBe(true);
  });

  it('copies when the rates match, and refuses nonsense rates', () => {
    const input = Int16Array.from([1, 2, 3]);
    const out = resampleLinear(input, RATE, RATE);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(() => resampleLinear(input, 0, RATE)).toThrow(RangeError);
    expect(() => resampleLinear(input, RATE, Number.NaN)).toThrow(RangeError);
  });
});

describe('speakablePieces', () => {
  it('splits sentences, strips control characters and cuts very long sentences', () => {
    expect(speakablePieces('Hello\u0007 there.\nHow are you?\u0000')).toEqual([
      'Hello there.',
      'How are you?',
    ]);
    const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const pieces = speakablePieces(long);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.length <= 240)).toBe(true);
    expect(pieces.join(' ')).toBe(long);
    expect(speakablePieces(' ... \u0001 ')).toEqual([]);
  });
});

describe('FliteTextToSpeech', () => {
  // Synthesis runs in a child process, as in the app: Node's WASI runtime has crashed
  // test workers now and then, and a crash there is retried instead.
  const runner = new ChildProcessFlite();
  const tts = new FliteTextToSpeech({ runner });
  afterAll(() => runner.close());

  it('speaks a sentence as non-silent 24 kHz audio of plausible length, in 100 ms chunks', async () => {
    const { chunks, pcm, seconds } = await speak(tts, SENTENCE);
    // About 13 words: a human says that in 3-5 s; anything near 0 or far beyond is broken.
    expect(seconds).toBeGreaterThan(2.5);
    expect(seconds).toBeLessThan(7);
    expect(chunks.slice(0, -1).every((c) => c.length === 2400)).toBe(true);
    expect(chunks.at(-1)!.length).toBeLessThanOrEqual(2400);
    expect(rms(pcm)).toBeGreaterThan(500);
    expect(Math.max(...pcm.map(Math.abs))).toBeGreaterThan(5000);
  });

  it('gives different voices different audio, at the right speed for 8 kHz voices too', async () => {
    const slt = await speak(tts, SENTENCE, 'slt');
    const rms_ = await speak(tts, SENTENCE, 'rms');
    const kal = await speak(tts, SENTENCE, 'kal'); // flite renders kal at 8 kHz
    expect(rms_.pcm.length).not.toBe(slt.pcm.length);
    const n = Math.min(slt.pcm.length, rms_.pcm.length);
    let differing = 0;
    for (let i = 0; i < n; i++) if (slt.pcm[i] !== rms_.pcm[i]) differing++;
    expect(differing / n).toBeGreaterThan(0.5);
    // Same words, similar speaking rate: durations within a factor of 1.6 of each other.
    for (const other of [rms_, kal]) {
      expect(other.seconds / slt.seconds).toBeGreaterThan(1 / 1.6);
      expect(other.seconds / slt.seconds).toBeLessThan(1.6);
    }
  });

  it('speaks every sentence of a longer reply', async () => {
    const one = await speak(tts, SENTENCE);
    const three = await speak(tts, `${SENTENCE} ${SENTENCE} ${SENTENCE}`);
    expect(three.seconds).toBeGreaterThan(one.seconds * 2.7);
    expect(three.seconds).toBeLessThan(one.seconds * 3.3);
  });

  it('yields nothing for text with nothing to say', async () => {
    expect((await speak(tts, ' \u0000\n ')).chunks).toEqual([]);
  });

  it('leaves no temp files behind', async () => {
    const ours = async () =>
      (await readdir(tmpdir())).filter((n) => n.startsWith('mockloop-flite-')).length;
    const before = await ours();
    await speak(tts, 'Short one. And another.');
    expect(await ours()).toBe(before);
  });

  it('stops with an aborted error when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = async () => {
      for await (const chunk of tts.synthesize(SENTENCE, persona('slt'), controller.signal)) {
        void chunk;
      }
    };
    await expect(run()).rejects.toMatchObject({ stage: 'tts', code: 'aborted' });
  });

  it('reports a missing wasm file as missing-asset with a clear message', async () => {
    const brokenRunner = new ChildProcessFlite({ wasmPath: '/nonexistent/flite.wasm' });
    const broken = new FliteTextToSpeech({ runner: brokenRunner });
    const error = await speak(broken, 'Hello.').catch((e: unknown) => e);
    brokenRunner.close();
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ stage: 'tts', code: 'missing-asset' });
    expect((error as Error).message).toContain('/nonexistent/flite.wasm');
    expect((error as Error).message).toMatch(/reinstall/i);
  });

  it('speaks faster at a brisker pace, slower at a deliberate one', async () => {
    const text = 'Walk me through how the controller elects a new leader.';
    const normal = (await speak(tts, text, 'rms')).seconds;
    const brisk = (await speak(tts, text, 'rms', 1.2)).seconds;
    const slow = (await speak(tts, text, 'rms', 0.85)).seconds;
    expect(brisk).toBeLessThan(normal * 0.92);
    expect(slow).toBeGreaterThan(normal * 1.08);
  });
});
