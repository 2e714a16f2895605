import { afterEach, describe, expect, it } from 'vitest';
import type { Persona } from '../../../src/core/roundPack';
import { ChildProcessFlite } from '../../../src/providers/embedded/fliteProcess';
import {
  FliteTextToSpeech,
  inProcessFlite,
} from '../../../src/providers/embedded/fliteTextToSpeech';
import { ProviderError } from '../../../src/providers/types';

const persona = { voice: { embedded: 'rms', pace: 1 } } as Persona;
const request = { voice: 'rms' as const, pace: 1, text: 'Tell me how a follower catches up.' };

describe('Flite in a child process', () => {
  let runner: ChildProcessFlite;
  afterEach(() => runner.close());

  it('speaks exactly what the in-process voice speaks', async () => {
    runner = new ChildProcessFlite();
    const child = await runner.run(request);
    const local = await inProcessFlite().run(request);
    expect(child.length).toBe(local.length);
    expect(Buffer.from(child.buffer).equals(Buffer.from(local.buffer))).toBe(true);
  }, 30_000);

  it('a crash of the voice process fails that sentence retryably, and the next starts afresh', async () => {
    runner = new ChildProcessFlite();
    await runner.run(request);
    const first = runner.pid;
    const pending = runner.run({
      ...request,
      text: 'A much longer sentence about leader epochs and truncation.',
    });
    process.kill(first!, 'SIGKILL');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as ProviderError).message).toMatch(/restarts by itself/);

    const again = await runner.run(request);
    expect(again.length).toBeGreaterThan(24_000);
    expect(runner.pid).not.toBe(first);
  }, 30_000);

  it('the voice retries a sentence once when its process died under it', async () => {
    runner = new ChildProcessFlite();
    let calls = 0;
    const flaky = {
      run: (r: typeof request) => {
        calls++;
        return calls === 1
          ? Promise.reject(new ProviderError('tts', 'server', 'The offline voice stopped', true))
          : runner.run(r);
      },
    };
    let samples = 0;
    for await (const chunk of new FliteTextToSpeech({ runner: flaky }).synthesize(
      request.text,
      persona,
    )) {
      samples += chunk.length;
    }
    expect(calls).toBe(2);
    expect(samples).toBeGreaterThan(24_000);
  }, 30_000);
});
