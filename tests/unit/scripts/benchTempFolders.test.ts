import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the bench’s temporary folders', () => {
  it(
    'are removed when the bench is stopped by a signal mid-section',
    { timeout: 30_000 },
    async () => {
      const script = [
        "import { makeTempFolder, removeOnInterrupt } from './scripts/bench/tempFolders.ts';",
        'removeOnInterrupt();',
        "console.log(makeTempFolder('mockloop-bench-signal-'));",
        'setInterval(() => {}, 1000);',
      ].join('\n');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      try {
        const folder = await new Promise<string>((resolve, reject) => {
          child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
          child.once('exit', (code) => reject(new Error(`exited early (${code})`)));
        });
        expect(existsSync(folder)).toBe(true);
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(143);
        expect(existsSync(folder)).toBe(false);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
