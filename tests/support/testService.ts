import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyVault } from '../../src/backend/keyVault';
import { MockloopService, type ServiceOptions } from '../../src/backend/mockloopService';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The backend as browser mode builds it, on a fresh data folder with the real round
 * packs: `settings` is written as settings.json (fake providers keep tests quick).
 */
export async function testService(
  settings: Record<string, unknown>,
  options: Partial<Omit<ServiceOptions, 'dataDir'>> = {},
): Promise<{ svc: MockloopService; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mockloop-svc-'));
  await writeFile(
    join(dataDir, 'settings.json'),
    JSON.stringify({ schemaVersion: 1, ...settings }),
  );
  const svc = new MockloopService({
    dataDir,
    promptsDir: join(ROOT, 'prompts'),
    mode: 'browser',
    version: 'test',
    keyVault: new MemoryKeyVault(),
    env: {},
    ...options,
  });
  return { svc, dataDir };
}
