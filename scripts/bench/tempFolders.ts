import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The bench's temporary folders (recordings of hundreds of MB). `finally` blocks do not
 * run when the bench is stopped by a signal (Ctrl-C, a timeout's SIGTERM), so the folders
 * still held then are removed by the handler `removeOnInterrupt` installs.
 */
const held = new Set<string>();

export function makeTempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  held.add(folder);
  return folder;
}

export function removeTempFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  held.delete(folder);
}

export function removeOnInterrupt(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      for (const folder of held) {
        try {
          rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
        } catch {
          // Still being written by a child: remove the others rather than stop here.
        }
      }
      process.exit(code);
    });
  }
}
