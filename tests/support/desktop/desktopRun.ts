import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WHISPER_BINDING, whisperPlatformPackage } from '../../../scripts/packNativeModules';
import type { DesktopReport } from './desktopReport';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

/**
 * The packages a development run (`npm start`, the built bundle) loads from the checkout's
 * node_modules on purpose: whisper.cpp's binding and this platform's native library
 * (packaged, they are in the app's own node_modules: scripts/packNativeModules.ts).
 */
export function nativePackages(): { name: string; dir: string }[] {
  return [WHISPER_BINDING, whisperPlatformPackage(process.platform, process.arch)].map((name) => ({
    name,
    dir: join(ROOT, 'node_modules', name),
  }));
}

/** A temp folder removed by the returned function (call it in afterAll/finally). */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `mockloop-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A copy of the project as a clone has it (tracked and new, not ignored, files), with
 * node_modules linked: Forge's Vite plugin deletes and rebuilds `.vite/` in the project
 * it runs in, which must not be this checkout while other tests use its build.
 */
export function copyProject(into: string): string {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && !f.startsWith('tests/') && !f.startsWith('docs/'));
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(into, file));
    } catch (error) {
      // A file deleted in the work tree but not yet in the index.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'), 'dir');
  return into;
}

export interface AppRun {
  code: number | null;
  output: string;
  report: DesktopReport | null;
}

/**
 * Runs a command that ends up starting the stand-in Electron (`npm start`, the stand-in
 * binary, the packaged executable) and reads the report it leaves. The whole process
 * group is killed on timeout, so no dev server or voice process outlives the test.
 */
export async function runApp(options: {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  timeoutMs: number;
}): Promise<AppRun> {
  const work = tempDir('standin');
  try {
    const home = join(work.path, 'home');
    // The app's temp files (the voice writes each utterance there) stay in the run's folder.
    mkdirSync(join(home, 'tmp'), { recursive: true });
    const reportPath = join(work.path, 'report.json');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MOCKLOOP_STANDIN_HOME: home,
      MOCKLOOP_STANDIN_REPORT: reportPath,
      MOCKLOOP_STANDIN_FS_LOG: join(work.path, 'files.log'),
      TMPDIR: join(home, 'tmp'),
      ...options.env,
    };
    // The offline default: no key, no server.
    delete env.OPENAI_API_KEY;
    delete env.OPENAI_BASE_URL;
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        output += `\n[killed after ${options.timeoutMs} ms]`;
        killGroup(child.pid);
      }, options.timeoutMs);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    // Whatever the app left running in its group (a dev server, a voice process) goes too.
    killGroup(child.pid);
    let report: DesktopReport | null = null;
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8')) as DesktopReport;
    } catch {
      report = null;
    }
    return { code, output, report };
  } finally {
    work.remove();
  }
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
