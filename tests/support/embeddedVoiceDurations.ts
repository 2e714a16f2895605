import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { RoundPack } from '../../src/core/roundPack';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * How long the pack's embedded voice takes to say each text, so a test's microphone WAV
 * can place answers after the interviewer's lines. Measured by fliteDurations.ts in its
 * own process; Node's WASI runtime has crashed now and then, so it is tried again.
 */
export function spokenSeconds(pack: RoundPack, ...texts: string[]): number[] {
  const script = join(ROOT, 'tests', 'support', 'fliteDurations.ts');
  const voice = pack.persona.voice;
  const args = ['--import', 'tsx', script, voice.embedded, String(voice.pace), ...texts];
  for (let attempt = 1; ; attempt++) {
    try {
      const seconds = JSON.parse(
        execFileSync(process.execPath, args, { cwd: ROOT }).toString(),
      ) as number[];
      if (seconds.length === texts.length && seconds.every((s) => s > 0)) return seconds;
      throw new Error(`unexpected durations ${JSON.stringify(seconds)}`);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
