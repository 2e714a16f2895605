// Prints how long the embedded voice takes to say each argument, as JSON seconds. The
// voice runs in a child process, as in browser mode, so a crash of Node's WASI runtime
// costs a retry, not the measurement.
import { SAMPLE_RATE } from '../../src/core/audioFormat';
import type { Persona } from '../../src/core/roundPack';
import { ChildProcessFlite } from '../../src/providers/embedded/fliteProcess';
import { FliteTextToSpeech } from '../../src/providers/embedded/fliteTextToSpeech';

async function main(): Promise<void> {
  const [voice, pace, ...texts] = process.argv.slice(2);
  const persona = { voice: { embedded: voice, pace: Number(pace) } } as Persona;
  const runner = new ChildProcessFlite();
  const tts = new FliteTextToSpeech({ runner });
  const out: number[] = [];
  for (const text of texts) {
    let samples = 0;
    for await (const chunk of tts.synthesize(text, persona)) samples += chunk.length;
    out.push(samples / SAMPLE_RATE);
  }
  runner.close();
  process.stdout.write(JSON.stringify(out));
}

void main();
