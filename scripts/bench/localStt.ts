import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SAMPLE_RATE } from '../../src/core/audioFormat';
import { LocalSpeechToText } from '../../src/providers/local/localSpeechToText';
import { WhisperProcess } from '../../src/providers/local/whisperProcess';
import { writeTinyWhisperModel } from '../../tests/support/tinyWhisperModel';
import type { Section } from './section';
import { makeTempFolder, removeTempFolder } from './tempFolders';
import { figure } from './stats';

const TURN_SECONDS = 10;
const SENTENCE =
  'Each partition is a sequence of segment files, and a sparse offset index sits beside each one so a read finds its place quickly.';

/**
 * Speech recognition on this computer (whisper.cpp in its host process), on a 10-second
 * turn of espeak-ng speech: `local_stt_rtf` is processing time over audio time (whisper's
 * own timing), `local_stt_final_ms` the wall time from handing over the finished turn to
 * its final text (resampling, the host round trip, decoding) — a turn said as one stretch,
 * the worst case (a turn with pauses is transcribed stretch by stretch as it is spoken).
 * The model: MOCKLOOP_WHISPER_MODEL (a real ggml file) or, where none can be downloaded,
 * a tiny random-weight model of whisper's layout the bench writes (its text is gibberish;
 * its speed is a floor, not what tiny.en does).
 */
export const localSttSection: Section = async ({ runs, log }) => {
  const dir = makeTempFolder('mockloop-bench-stt-');
  const host = new WhisperProcess();
  try {
    const given = process.env['MOCKLOOP_WHISPER_MODEL'];
    const modelPath = given ?? join(dir, 'ggml-tiny-random.bin');
    if (!given) writeTinyWhisperModel(modelPath);
    const model = given
      ? basename(given)
      : 'generated tiny random-weight model (state 64, 1 layer)';
    log(`  model: ${model}`);
    const audio = speech(dir);
    const timings: { rtf: number; finalMs: number }[] = [];
    const stt = new LocalSpeechToText({
      host,
      modelPath,
      modelId: basename(modelPath),
      onResult: (r, audioMs) => timings.push({ rtf: r.processingMs / audioMs, finalMs: 0 }),
    });
    await stt.transcribe(audio.subarray(0, SAMPLE_RATE), {}); // loads the model once
    timings.length = 0;
    const count = Math.max(3, Math.min(runs, 10));
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await stt.transcribe(audio, {});
      timings.at(-1)!.finalMs = performance.now() - started;
    }
    return {
      figures: {
        local_stt_rtf: figure(
          timings.map((t) => t.rtf),
          'ratio',
          3,
        ),
        local_stt_final_ms: figure(
          timings.map((t) => t.finalMs),
          'ms',
          0,
        ),
      },
      notes: `whisper.cpp via @fugood/whisper.node, 2 threads, model: ${model}; a ${TURN_SECONDS} s turn of espeak-ng speech, ${count} runs after a warm-up.`,
    };
  } finally {
    host.close();
    removeTempFolder(dir);
  }
};

/** TURN_SECONDS of speech at the app's rate, from espeak-ng (repeated, trimmed). */
function speech(dir: string): Int16Array {
  const raw = join(dir, 'speech.wav');
  const wav = join(dir, 'speech-24k.wav');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', raw, `${SENTENCE} ${SENTENCE}`]);
  execFileSync('sox', [
    raw,
    '-r',
    String(SAMPLE_RATE),
    '-c',
    '1',
    '-b',
    '16',
    wav,
    'trim',
    '0',
    String(TURN_SECONDS),
  ]);
  const bytes = readFileSync(wav);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length));
}
