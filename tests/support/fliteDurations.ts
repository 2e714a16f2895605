// Prints how long the embedded voice takes to say each argument, as JSON seconds.
// Run in its own process: Flite's WASI instance inside a Vitest worker that later
// spawns child processes has crashed the worker (SIGSEGV).
import { SAMPLE_RATE } from '../../src/core/audioFormat';
import type { Persona } from '../../src/core/roundPack';
import { FliteTextToSpeech } from '../../src/providers/embedded/fliteTextToSpeech';

async function main(): Promise<void> {
  const [voice, pace, ...texts] = process.argv.slice(2);
  const persona = { voice: { embedded: voice, pace: Number(pace) } } as Persona;
  const tts = new FliteTextToSpeech();
  const out: number[] = [];
  for (const text of texts) {
    let samples = 0;
    for await (const chunk of tts.synthesize(text, persona)) samples += chunk.length;
    out.push(samples / SAMPLE_RATE);
  }
  process.stdout.write(JSON.stringify(out));
}

void main();
