import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative, sep } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFiles } from '../../src/main/appFiles';
import type { DesktopReport } from '../support/desktop/desktopReport';
import { copyProject, nativePackages, ROOT, runApp, tempDir } from '../support/desktop/desktopRun';
import { expectHealthyApp, expectOnlyAppFilesLoaded } from '../support/desktop/smokeExpectations';
import { makeStandInElectron } from '../support/desktop/standInDist';

/**
 * `npm run package` as a user runs it — Forge's production Vite builds of the main,
 * preload, voice-host and renderer targets, the packager, the fuses — against a stand-in
 * Electron release zip (`electronZipDir`; the real one cannot be downloaded here). Then
 * the built main bundle and the packaged app each start under the stand-in Electron, and
 * everything they loaded must be inside the package.
 */
const APP = `Mockloop-linux-${process.arch}`;
const FORGE_TIMEOUT = 480_000;

describe('the packaged desktop app', () => {
  const project = tempDir('package');
  const electron = tempDir('electron');
  const extracted = tempDir('asar');
  let stand: { distDir: string; zipDir: string };
  let packaging = '';
  let builtRun: DesktopReport | null = null;
  let packagedStarted = false;

  const forge = (args: string[]) =>
    execFileSync('npm', ['run', '--silent', ...args], {
      cwd: project.path,
      env: { ...process.env, MOCKLOOP_ELECTRON_ZIP_DIR: stand.zipDir, CI: 'true' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: FORGE_TIMEOUT,
    });

  beforeAll(() => {
    copyProject(project.path);
    stand = makeStandInElectron(electron.path);
    packaging = forge(['package']);
  }, FORGE_TIMEOUT + 60_000);
  afterAll(() => {
    project.remove();
    electron.remove();
    extracted.remove();
  });

  const build = () => join(project.path, '.vite', 'build');
  const out = () => join(project.path, 'out', APP);

  it('is built by Forge with package.json main and every file main.ts loads', () => {
    const pkg = JSON.parse(readFileSync(join(project.path, 'package.json'), 'utf8')) as {
      main: string;
    };
    expect(existsSync(join(project.path, pkg.main)), packaging).toBe(true);
    for (const [name, path] of Object.entries(appFiles(build(), 'main_window'))) {
      expect(existsSync(path), `${name}: ${path}`).toBe(true);
    }
    expect(existsSync(join(build(), '..', 'renderer', 'main_window', 'index.html'))).toBe(true);
    // The bundles need nothing at run time but Electron and Node's own modules.
    const required = (file: string) => [
      ...new Set(
        [...readFileSync(join(build(), file), 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)]
          .map((m) => m[1]!)
          .filter((name) => name !== 'electron' && !isBuiltin(name)),
      ),
    ];
    expect(required('main.cjs')).toEqual([]);
    expect(required('fliteHost.cjs')).toEqual([]);
    expect(required('preload.cjs')).toEqual([]);
    // …but whisper.cpp's binding, which the packager puts into the app's node_modules.
    expect(required('whisperHost.cjs')).toEqual(['@fugood/whisper.node']);
  });

  it('starts from the built main bundle under a stand-in Electron', async () => {
    const run = await runApp({
      command: join(stand.distDir, 'electron'),
      args: [project.path],
      cwd: project.path,
      timeoutMs: 120_000,
    });
    expect(run.report?.error, run.output).toBeUndefined();
    expect(run.code, run.output).toBe(0);
    builtRun = run.report!;
    expect(builtRun.mode).toBe('development');
    expectHealthyApp(builtRun, { pageUrl: /^mockloop:\/\/app\/index\.html$/ });
    expectOnlyAppFilesLoaded(builtRun, {
      allowed: [
        join(project.path, 'package.json'),
        join(project.path, '.vite'),
        join(project.path, 'prompts'),
        ...nativePackages().map((p) => p.dir),
      ],
    });
  });

  it('holds every file the app loaded, with its fuses set, and starts packaged', async () => {
    expect(builtRun, 'the built bundle must have started first').not.toBeNull();
    const resources = join(out(), 'resources');
    const asarPath = join(resources, 'app.asar');
    expect(existsSync(asarPath), packaging).toBe(true);
    const inAsar = new Set(listPackage(asarPath, { isPack: false }).map((p) => p.slice(1)));
    // Development loads whisper.cpp's packages from the checkout's node_modules; the
    // package must hold them at the same place under its own.
    const checkoutModules = join(ROOT, 'node_modules');
    const missing = builtRun!.loadedFiles
      .filter(
        (path) => path.startsWith(project.path + sep) || path.startsWith(checkoutModules + sep),
      )
      .map((path) =>
        path.startsWith(project.path + sep)
          ? relative(project.path, path)
          : join('node_modules', relative(checkoutModules, path)),
      )
      .filter((path) =>
        path === 'prompts' || path.startsWith(`prompts${sep}`)
          ? !existsSync(join(resources, path))
          : !inAsar.has(path.split(sep).join('/')),
      );
    expect(missing).toEqual([]);
    expect(builtRun!.loadedFiles.some((p) => p.startsWith(checkoutModules + sep))).toBe(true);
    // Nothing but the build, its package.json and whisper.cpp's two packages: no sources,
    // no other node_modules, no GPU variants.
    const topLevel = new Set([...inAsar].map((p) => p.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['.vite', 'node_modules', 'package.json']);
    const packages = new Set(
      [...inAsar]
        .filter((p) => p.split('/').length > 3 && p.startsWith('node_modules/'))
        .map((p) => p.split('/').slice(1, 3).join('/')),
    );
    expect([...packages].sort()).toEqual(
      nativePackages()
        .map((p) => p.name)
        .sort(),
    );
    // The native library is a real file beside the archive (a shared library cannot be
    // loaded from inside it).
    const nativeLib = join(
      resources,
      'app.asar.unpacked',
      'node_modules',
      nativePackages()[1]!.name,
      'index.node',
    );
    expect(existsSync(nativeLib), nativeLib).toBe(true);

    // Forge's fuses plugin flipped the binary's fuse wire as forge.config.ts asks.
    const exe = join(out(), 'mockloop');
    expect(statSync(exe).mode & 0o111).not.toBe(0);
    const fuses = await getCurrentFuseWire(exe);
    const on = (fuse: FuseV1Options) => fuses[fuse] === 49;
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);

    // The packaged executable, started as a user would, on the package's own files.
    extractAll(asarPath, extracted.path);
    const run = await runApp({
      command: exe,
      args: [],
      cwd: out(),
      env: { MOCKLOOP_STANDIN_APP_DIR: extracted.path },
      timeoutMs: 120_000,
    });
    expect(run.report?.error, run.output).toBeUndefined();
    expect(run.code, run.output).toBe(0);
    const report = run.report!;
    expect(report.mode).toBe('packaged');
    expectHealthyApp(report, { pageUrl: /^mockloop:\/\/app\/index\.html$/ });
    expectOnlyAppFilesLoaded(report, { allowed: [extracted.path, resources] });
    packagedStarted = true;
  });

  it('says in Settings why speech recognition cannot start when its library is gone, and the round still runs', async () => {
    expect(packagedStarted, 'the packaged app must have started first').toBe(true);
    const native = nativePackages()[1]!.name;
    rmSync(join(extracted.path, 'node_modules', ...native.split('/')), { recursive: true });
    const run = await runApp({
      command: join(out(), 'mockloop'),
      args: [],
      cwd: out(),
      env: { MOCKLOOP_STANDIN_APP_DIR: extracted.path },
      timeoutMs: 120_000,
    });
    expect(run.report?.error, run.output).toBeUndefined();
    const { speech, voice } = run.report!;
    expect(speech.modelImport).toMatchObject({ engineAvailable: false, inUse: null });
    expect(speech.modelImport!.engineProblem).toMatch(
      new RegExp(
        `cannot start on this computer: ${native.replace('/', '\\/')} is not installed. Reinstall Mockloop`,
      ),
    );
    // Offline without a transcript, as before a model was installed: nothing invented.
    expect(speech.candidateTurns).toEqual([{ text: null }]);
    expect(speech.sessionStt).toBeNull();
    expect(voice.notices.filter((n) => n.startsWith('error'))).toEqual([]);
  });

  it('makes a .deb with its desktop entry, menu categories and icons (npm run make)', () => {
    forge(['make', '--', '--from-package']);
    const pkg = JSON.parse(readFileSync(join(project.path, 'package.json'), 'utf8')) as {
      version: string;
    };
    const debArch = process.arch === 'x64' ? 'amd64' : process.arch;
    const deb = join(
      project.path,
      'out/make/deb',
      process.arch,
      `mockloop_${pkg.version}_${debArch}.deb`,
    );
    expect(existsSync(deb)).toBe(true);
    const field = (name: string) =>
      execFileSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }).trim();
    expect(field('Package')).toBe('mockloop');
    expect(field('Section')).toBe('education');
    expect(field('Maintainer')).toBeTruthy();
    // whisper.cpp's library is built with OpenMP.
    expect(field('Depends')).toMatch(/\blibgomp1\b/);

    const contents = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(/\s+/)[5])
      .filter(Boolean);
    const icon = (size: string, ext = 'png') =>
      `./usr/share/icons/hicolor/${size}/apps/mockloop.${ext}`;
    expect(contents).toEqual(
      expect.arrayContaining([
        './usr/lib/mockloop/mockloop',
        './usr/lib/mockloop/resources/app.asar',
        `./usr/lib/mockloop/resources/app.asar.unpacked/node_modules/@fugood/node-whisper-linux-${process.arch}/index.node`,
        './usr/lib/mockloop/resources/prompts/confluent-engineering/kafka-internals.yaml',
        './usr/share/applications/mockloop.desktop',
        ...[16, 32, 48, 64, 128, 256, 512].map((s) => icon(`${s}x${s}`)),
        icon('scalable', 'svg'),
      ]),
    );
    const fileInDeb = (path: string) =>
      execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "$0" | tar -xO "$1"`, deb, path]);
    expect(
      fileInDeb(icon('512x512')).equals(readFileSync(join(ROOT, 'assets/icons/png/512x512.png'))),
    ).toBe(true);
    const entry = Object.fromEntries(
      fileInDeb('./usr/share/applications/mockloop.desktop')
        .toString('utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(entry).toMatchObject({
      Name: 'Mockloop',
      Icon: 'mockloop',
      Exec: 'mockloop %U',
      Type: 'Application',
      Categories: 'Education;Office;',
      GenericName: 'Interview rehearsal',
    });
  });
});
