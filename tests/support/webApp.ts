import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningWebApp {
  url: string;
  process: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
  /** SIGKILL the whole process tree, as a crash would. */
  kill(): Promise<void>;
}

/**
 * Starts browser mode the way a user does (`npm run web -- --data <dir> --port 0`) and
 * reads the URL line it prints.
 */
export async function startWebApp(
  dataDir: string,
  env: Record<string, string | undefined> = {},
  extraArgs: string[] = [],
): Promise<RunningWebApp> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.OPENAI_API_KEY;
  delete childEnv.OPENAI_BASE_URL;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(
    'npm',
    ['run', '--silent', 'web', '--', '--data', dataDir, '--port', '0', ...extraArgs],
    {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`browser mode did not start:\n${err}`)),
      90_000,
    );
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited with ${code}:\n${err}`));
    });
  });
  return {
    url,
    process: child,
    stderr: () => err,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-child.pid!, 'SIGKILL');
    },
  };
}
