import { describe, expect, it } from 'vitest';
import type { Persona } from '../../../src/core/roundPack';
import { speakReply, type SpeechSink } from '../../../src/engine/interviewerSpeech';
import type { TextToSpeech } from '../../../src/providers/types';
import { testPack } from './testPack';

const persona = testPack().persona;

async function* tokens(...parts: string[]): AsyncIterable<string> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

/** One chunk per sentence whose samples are the sentence length; can fail on a sentence. */
function tts(options: { failOn?: string } = {}): TextToSpeech & { asked: string[] } {
  const asked: string[] = [];
  return {
    info: { kind: 'test' },
    asked,
    async *synthesize(text: string, _persona: Persona, signal?: AbortSignal) {
      asked.push(text);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (signal?.aborted) throw new Error('aborted');
      if (text === options.failOn) throw new Error('voice failed');
      yield new Int16Array(text.length);
    },
  };
}

function recordingSink() {
  const log: string[] = [];
  const sink: SpeechSink = {
    sentence: (text) => void log.push(`sentence:${text}`),
    chunk: (pcm) => void log.push(`chunk:${pcm.length}`),
  };
  return { log, sink };
}

describe('speakReply', () => {
  it('speaks sentence by sentence in order and resolves with the whole text', async () => {
    const voice = tts();
    const { log, sink } = recordingSink();
    const text = await speakReply(
      tokens('Hello ', 'there. ', 'How are ', 'you? ', 'Fine'),
      persona,
      voice,
      sink,
      new AbortController().signal,
    );
    expect(text).toBe('Hello there. How are you? Fine');
    expect(voice.asked).toEqual(['Hello there.', 'How are you?', 'Fine']);
    expect(log).toEqual([
      'sentence:Hello there.',
      'chunk:12',
      'sentence:How are you?',
      'chunk:12',
      'sentence:Fine',
      'chunk:4',
    ]);
  });

  it('stops speaking once aborted', async () => {
    const controller = new AbortController();
    const { log, sink } = recordingSink();
    const voice = tts();
    const done = speakReply(
      tokens('One. ', 'Two. ', 'Three.'),
      persona,
      voice,
      sink,
      controller.signal,
    );
    controller.abort();
    await done.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.filter((l) => l.startsWith('chunk'))).toEqual([]);
  });

  it('rejects with a speech failure', async () => {
    const { sink } = recordingSink();
    await expect(
      speakReply(
        tokens('One. ', 'Two. ', 'Three.'),
        persona,
        tts({ failOn: 'Two.' }),
        sink,
        new AbortController().signal,
      ),
    ).rejects.toThrow('voice failed');
  });

  it('rejects with a text failure and leaves no unhandled failure behind', async () => {
    async function* failing(): AsyncIterable<string> {
      yield 'First sentence. ';
      yield 'Second ';
      throw new Error('stream broke');
    }
    const controller = new AbortController();
    const { sink } = recordingSink();
    await expect(
      speakReply(failing(), persona, tts({ failOn: 'First sentence.' }), sink, controller.signal),
    ).rejects.toThrow('stream broke');
    controller.abort();
    // The queued sentence now fails; vitest reports it if it is left unhandled.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
});
