import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, loadConfigFromFile, type UserConfig } from 'vite';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

type GetConfig = (env: unknown, user: UserConfig) => UserConfig;
/** Forge's own per-target Vite defaults (not in the package's exports map). */
async function forgeDefaults(target: 'main' | 'preload'): Promise<GetConfig> {
  const file = join(
    ROOT,
    'node_modules/@electron-forge/plugin-vite/dist/config',
    `vite.${target}.config.js`,
  );
  const mod = (await import(pathToFileURL(file).href)) as { getConfig: GetConfig };
  return mod.getConfig;
}

/**
 * The Electron binary cannot run here, but the bundles `npm start` runs can be built
 * exactly as Forge's Vite plugin builds them, and checked.
 */
async function forgeBuild(entry: string, configFile: string, outDir: string): Promise<string[]> {
  const warnings: string[] = [];
  const forgeEnv = {
    command: 'build' as const,
    mode: 'production',
    root: ROOT,
    forgeConfig: {
      build: [],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    },
    forgeConfigSelf: { entry, config: configFile },
  };
  const loaded = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    join(ROOT, configFile),
  );
  const getConfig = await forgeDefaults(entry.includes('preload') ? 'preload' : 'main');
  const config = getConfig(forgeEnv, (loaded?.config ?? {}) as UserConfig);
  await build({
    ...config,
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    build: { ...config.build, outDir, emptyOutDir: false },
    customLogger: {
      info: () => undefined,
      warn: (msg: string) => warnings.push(msg),
      warnOnce: (msg: string) => warnings.push(msg),
      error: (msg: string) => warnings.push(msg),
      clearScreen: () => undefined,
      hasErrorLogged: () => false,
      hasWarned: false,
    },
  });
  return warnings;
}

describe('the Electron bundles Forge builds', () => {
  it('builds main and preload as CommonJS without an empty import.meta', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'mockloop-forge-'));
    await forgeBuild('src/main/main.ts', 'vite.main.config.ts', outDir);
    await forgeBuild('src/preload/preload.ts', 'vite.preload.config.ts', outDir);
    await forgeBuild('src/providers/embedded/fliteHost.ts', 'vite.main.config.ts', outDir);
    const main = readFileSync(join(outDir, 'main.cjs'), 'utf8');
    const preload = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
    // Assert on booleans: a failure must not print a 600 kB bundle.
    expect(main.includes('require("electron")')).toBe(true);
    expect(/\{\}\.url/.test(main), 'import.meta.url became {}.url').toBe(false);
    expect(main.includes('pathToFileURL(__filename)')).toBe(true);
    expect(preload.includes('exposeInMainWorld')).toBe(true);
    // The voice host the main process forks is built beside it.
    const host = readFileSync(join(outDir, 'fliteHost.cjs'), 'utf8');
    expect(host.includes('parentPort')).toBe(true);
    expect(preload.includes('mockloop:call')).toBe(true);
    // The preload runs sandboxed: it may require only electron.
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  }, 60_000);
});
