import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packNativeModules, whisperPlatformPackage } from '../../../scripts/packNativeModules';

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
});
