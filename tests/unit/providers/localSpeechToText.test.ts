import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../src/core/audioFormat';
import { LocalSpeechToText } from '../../../src/providers/local/localSpeechToText';
import { WhisperProcess } from '../../../src/providers/local/whisperProcess';
import { ProviderError } from '../../../src/providers/types';
import { writeTinyWhisperModel } from '../../support/tinyWhisperModel';

/** Two seconds of a voice-like tone at the app's 24 kHz. */
function tone(seconds: number): Int16Array {
  const pcm = new Int16Array(Math.round(seconds * SAMPLE_RATE));
  for (let i = 0; i < pcm.length; i++) {
    const t = i / SAMPLE_RATE;
    pcm[i] = Math.round(8000 * Math.sin(2 * Math.PI * 180 * t) * (0.6 + 0.4 * Math.sin(6 * t)));
  }
  return pcm;
}

/**
 * The real engine (whisper.cpp through @fugood/whisper.node, in its host process) on a
 * tiny model the test writes: random weights, so the words are gibberish — but loading,
 * decoding, timing, cancellation and the errors are the real ones.
 */
describe('speech-to-text on this computer', () => {
  let dir: string;
  let modelPath: string;
  const host = new WhisperProcess();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mockloop-whisper-'));
    modelPath = join(dir, 'ggml-tiny-test.bin');
    writeTinyWhisperModel(modelPath);
  });

  afterAll(() => {
    host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the model and transcribes a turn, reporting how long it took', async () => {
    const timings: { processingMs: number; audioMs: number }[] = [];
    const stt = new LocalSpeechToText({
      host,
      modelPath,
      modelId: 'test-tiny',
      onResult: (r, audioMs) => timings.push({ processingMs: r.processingMs, audioMs }),
    });
    expect(stt.info).toEqual({ kind: 'local', model: 'test-tiny' });
    const text = await stt.transcribe(tone(2), {});
    expect(typeof text).toBe('string');
    expect(timings).toHaveLength(1);
    expect(timings[0]!.audioMs).toBe(2000);
    expect(timings[0]!.processingMs).toBeGreaterThan(0);
  });

  it('stops a transcription when its turn is dropped', async () => {
    const stt = new LocalSpeechToText({ host, modelPath, modelId: 'test-tiny' });
    const controller = new AbortController();
    const pending = stt.transcribe(tone(20), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('aborted');
    // The host is free for the next turn.
    await expect(stt.transcribe(tone(1), {})).resolves.toEqual(expect.any(String));
  });

  it('answers a probe: whisper.cpp starts here', async () => {
    await expect(host.probe()).resolves.toBeNull();
  });

  it('does not transcribe a turn dropped while its model was still loading', async () => {
    const fresh = new WhisperProcess();
    try {
      const stt = new LocalSpeechToText({ host: fresh, modelPath, modelId: 'test-tiny' });
      const controller = new AbortController();
      const pending = stt.transcribe(tone(20), { signal: controller.signal });
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      expect((error as ProviderError).code).toBe('aborted');
    } finally {
      fresh.close();
    }
  });

  it('fails only the requests of a host that went away, not those of its replacement', async () => {
    const replaced = new WhisperProcess();
    try {
      const stt = new LocalSpeechToText({ host: replaced, modelPath, modelId: 'test-tiny' });
      const first = stt.transcribe(tone(20), {}).catch((e: unknown) => e);
      replaced.close();
      const second = stt.transcribe(tone(1), {});
      const error = await first;
      expect((error as ProviderError).retryable).toBe(true);
      expect((error as Error).message).toMatch(/stopped unexpectedly/);
      await expect(second).resolves.toEqual(expect.any(String));
    } finally {
      replaced.close();
    }
  });

  it('says what to do when the model is missing or damaged', async () => {
    const missing = new LocalSpeechToText({
      host,
      modelPath: join(dir, 'nope.bin'),
      modelId: 'gone',
    });
    const error = await missing.transcribe(tone(1), {}).catch((e: unknown) => e);
    expect((error as ProviderError).code).toBe('missing-asset');
    expect((error as Error).message).toMatch(/model is missing.*Download it again in Settings/);

    const damaged = join(dir, 'damaged.bin');
    writeFileSync(damaged, Buffer.from('ggml but not really a model'));
    const broken = new LocalSpeechToText({ host, modelPath: damaged, modelId: 'damaged' });
    const error2 = await broken.transcribe(tone(1), {}).catch((e: unknown) => e);
    expect((error2 as ProviderError).code).toBe('missing-asset');
    expect((error2 as Error).message).toMatch(/could not be loaded.*damaged/);
  });
  it('answers a request it cannot use with an error and stays up for the next', async () => {
    const error = await host
      .transcribe({ modelPath, pcm: tone(1), sampleRate: 0, language: 'en', threads: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(
      /Speech recognition failed: cannot resample from 0 Hz/,
    );
    const stt = new LocalSpeechToText({ host, modelPath, modelId: 'test-tiny' });
    await expect(stt.transcribe(tone(1), {})).resolves.toEqual(expect.any(String));
  });
});
