import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPackageWithOptions } from '@electron/asar';
import { afterEach, describe, expect, it } from 'vitest';
import {
  packNativeModules,
  UNPACK_NATIVE,
  whisperPlatformPackage,
} from '../../../scripts/packNativeModules';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function buildPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'mockloop-pack-'));
  dirs.push(d);
  return d;
}

describe('packing whisper.cpp into the app', () => {
  it('copies the binding’s JavaScript and this platform’s native package, nothing else', () => {
    const into = buildPath();
    packNativeModules(into, process.platform, process.arch, ROOT);
    const fugood = join(into, 'node_modules', '@fugood');
    expect(readdirSync(fugood).sort()).toEqual(
      [
        'whisper.node',
        whisperPlatformPackage(process.platform, process.arch).split('/')[1]!,
      ].sort(),
    );
    expect(readdirSync(join(fugood, 'whisper.node', 'lib')).sort()).toEqual([
      'binding.js',
      'index.js',
    ]);
    expect(existsSync(join(fugood, 'whisper.node', 'LICENSE'))).toBe(true);
    expect(existsSync(join(fugood, 'whisper.node', 'src'))).toBe(false);
    const native = join(
      into,
      'node_modules',
      whisperPlatformPackage(process.platform, process.arch),
    );
    expect(existsSync(join(native, 'index.node'))).toBe(true);
  });

  it('stops with the package to install when the target platform’s library is missing', () => {
    const into = buildPath();
    expect(() => packNativeModules(into, 'aix', 'ppc64', ROOT)).toThrow(
      /@fugood\/node-whisper-aix-ppc64 .*not installed.*npm install/s,
    );
    expect(existsSync(join(into, 'node_modules'))).toBe(false);
  });

  it('keeps the native library out of app.asar, also when building under a dot folder', async () => {
    // The packager builds in a temp folder, which may sit under ~/.cache and the like.
    const app = join(buildPath(), '.cache', 'electron-packager', 'Mockloop', 'app');
    const files = {
      '.vite/build/whisperHost.cjs': 'require("@fugood/whisper.node")',
      'node_modules/@fugood/whisper.node/lib/index.js': '',
      'node_modules/@fugood/node-whisper-linux-x64/index.node': 'ELF',
      'node_modules/@fugood/node-whisper-win32-x64/ggml.dll': 'MZ',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), text);
    }
    const archive = join(dirname(app), 'app.asar');
    await createPackageWithOptions(app, archive, { unpack: UNPACK_NATIVE });
    const unpacked = (path: string) => existsSync(join(`${archive}.unpacked`, path));
    expect(unpacked('node_modules/@fugood/node-whisper-linux-x64/index.node')).toBe(true);
    expect(unpacked('node_modules/@fugood/node-whisper-win32-x64/ggml.dll')).toBe(true);
    expect(unpacked('node_modules/@fugood/whisper.node/lib/index.js')).toBe(false);
    expect(unpacked('.vite/build/whisperHost.cjs')).toBe(false);
  });
});
