import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: the whole test run — workers, the web apps and Chromiums they
 * start, Forge's builds — writes its temporary files under one folder of its own
 * (TMPDIR, which os.tmpdir() and child processes read), removed when the run ends,
 * whether its tests passed or failed. Tests still clean up after themselves; this is the
 * net under them, so a run leaves nothing behind in the machine's temp directory. A
 * `mockloop-*` folder appearing in the real temp directory meanwhile came from something
 * that ignores TMPDIR, and fails the run.
 */
export default function setup(): () => void {
  const systemTmp = tmpdir();
  const ours = (): Set<string> =>
    new Set(readdirSync(systemTmp).filter((name) => name.startsWith('mockloop-')));
  const before = ours();
  const runDir = mkdtempSync(join(systemTmp, 'mockloop-test-run-'));
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = runDir;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
    const strays = [...ours()].filter((name) => !before.has(name));
    if (strays.length > 0) {
      throw new Error(
        `The tests left ${strays.length} folder(s) in ${systemTmp} outside the run's temp folder: ${strays.slice(0, 5).join(', ')}`,
      );
    }
  };
}
