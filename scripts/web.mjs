// `npm run web`: builds the UI when it is missing or older than its sources, then starts
// browser mode. Build output goes to stderr so stdout carries only the URL line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`Mockloop needs Node.js 22 or newer; this is ${process.version}.`);
  process.exit(1);
}

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = join(root, '.vite', 'renderer', 'main_window', 'index.html');
const stale =
  !existsSync(built) ||
  statSync(built).mtimeMs < Math.max(newest(join(root, 'renderer')), newest(join(root, 'src')));
if (stale) {
  console.error('Building the UI…');
  const build = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'vite.renderer.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: ['ignore', process.stderr, 'inherit'],
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--disable-warning=ExperimentalWarning',
    join(root, 'src', 'server', 'cli.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
// Pass stop signals on so the server shuts down cleanly with this script.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
