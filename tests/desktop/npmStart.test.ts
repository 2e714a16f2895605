import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFiles } from '../../src/main/appFiles';
import { copyProject, nativePackages, runApp, tempDir } from '../support/desktop/desktopRun';
import { expectHealthyApp, expectOnlyAppFilesLoaded } from '../support/desktop/smokeExpectations';
import { makeStandInElectron } from '../support/desktop/standInDist';

/**
 * `npm start` as a user runs it: Forge's `start` command (its Vite plugin's dev servers
 * and builds, its check of package.json `main`), then the Electron it launches — here a
 * stand-in binary (ELECTRON_OVERRIDE_DIST_PATH, which the electron package honours) that
 * loads the app's main bundle in Node. No real window opens; everything before it does.
 */
describe('npm start', () => {
  const project = tempDir('start');
  const electron = tempDir('electron');
  beforeAll(() => {
    copyProject(project.path);
  });
  afterAll(() => {
    project.remove();
    electron.remove();
  });

  it('builds with Forge, launches Electron on the app, and the app comes up offline', async () => {
    const { distDir } = makeStandInElectron(electron.path);
    const run = await runApp({
      command: 'npm',
      args: ['start'],
      cwd: project.path,
      env: { ELECTRON_OVERRIDE_DIST_PATH: distDir, CI: 'true' },
      timeoutMs: 240_000,
    });
    expect(run.report, run.output).not.toBeNull();
    const report = run.report!;
    expect(report.error, run.output).toBeUndefined();
    expect(run.code, run.output).toBe(0);

    expect(report.mode).toBe('development');
    expect(report.appPath).toBe(project.path);
    // Every file main.ts joins exists where the dev build put it (the renderer is served
    // by Vite's dev server in development, so its folder is not built).
    const files = appFiles(join(project.path, '.vite/build'), 'main_window');
    for (const [name, path] of Object.entries(files)) {
      if (name === 'rendererDir') continue;
      expect(existsSync(path), `${name}: ${path}`).toBe(true);
    }
    expectHealthyApp(report, { pageUrl: /^http:\/\/localhost:\d+\/?$/ });
    expectOnlyAppFilesLoaded(report, {
      allowed: [
        join(project.path, 'package.json'),
        join(project.path, '.vite/build'),
        join(project.path, 'prompts'),
        ...nativePackages().map((p) => p.dir),
      ],
    });
  });
});
