import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MemoryKeyVault } from '../backend/keyVault';
import { SessionExporter } from '../backend/exportBackend';
import { MockloopService } from '../backend/mockloopService';
import { ChildProcessFlite } from '../providers/embedded/fliteProcess';
import { newAccessToken } from './accessToken';
import { startWebServer } from './webServer';

/**
 * `npm run web -- --data <dir> --port <n>`: browser mode. Prints exactly one line on
 * stdout — the URL with its access token — so scripts can read it; everything else
 * goes to stderr.
 */
const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'mockloop');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      port: { type: 'string', default: '0' },
      prompts: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  }
  const dataDir = resolve(values.data ?? defaultDataDir());
  mkdirSync(dataDir, { recursive: true });
  const staticDir = join(appRoot, '.vite', 'renderer', 'main_window');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error('The UI is not built. Run `npm run build:renderer` (npm run web does this).');
  }
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as {
    version: string;
  };

  // The offline voice runs in a child process: a crash there costs one sentence, not the round.
  const flite = new ChildProcessFlite();
  const promptsDir = resolve(values.prompts ?? join(appRoot, 'prompts'));
  const service = new MockloopService({
    fliteRunner: flite,
    dataDir,
    promptsDir,
    mode: 'browser',
    version: pkg.version,
    // Browser mode keeps a key entered in Settings in this process only, never on disk.
    keyVault: new MemoryKeyVault(),
    env: {
      apiKey: process.env.OPENAI_API_KEY || undefined,
      baseUrl: process.env.OPENAI_BASE_URL || undefined,
    },
  });
  const recovered = await service.recover();
  if (recovered.length > 0) {
    process.stderr.write(`Recovered ${recovered.length} interrupted session(s).\n`);
  }
  const server = await startWebServer({
    handlers: service.handlers,
    staticDir,
    token: newAccessToken(),
    port,
    onClientGone: (clientId) => void service.clientGone(clientId),
    sessionsDir: service.sessions.sessionsDir,
    exporter: new SessionExporter({ dataDir, promptsDir, version: pkg.version }),
  });
  process.stdout.write(`Mockloop is running at ${server.url}\n`);
  process.stderr.write(`Data folder: ${dataDir}\n`);

  const stop = async () => {
    await service.shutdown();
    flite.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Mockloop could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
