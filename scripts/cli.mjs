// `npm run cli -- export|import …`: runs src/cli/mockloopCli.ts under tsx (as scripts/web.mjs
// does for browser mode) and passes its exit code on. Usage: `npm run cli -- --help`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`Mockloop needs Node.js 22 or newer; this is ${process.version}.`);
  process.exit(1);
}

const cli = spawn(
  process.execPath,
  [
    // Resolved from here, not from the working directory, which may be anywhere.
    '--import',
    import.meta.resolve('tsx'),
    '--disable-warning=ExperimentalWarning',
    join(root, 'src', 'cli', 'mockloopCli.ts'),
    ...process.argv.slice(2),
  ],
  // The user's working directory (npm run moves to the package root and keeps the original
  // in INIT_CWD), so relative --data/--out/--file paths mean what the user meant.
  { cwd: process.env.INIT_CWD || process.cwd(), stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => cli.kill(signal));
}
cli.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
