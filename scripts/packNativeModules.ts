import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Packaging step (forge.config.ts `packageAfterCopy`): puts whisper.cpp's Node binding and
 * its native library for the target platform into the packaged app's node_modules, where
 * the speech recognition host (a Vite bundle that keeps `require('@fugood/whisper.node')`)
 * finds them. Forge's Vite plugin packs only `.vite/`, so without this the packaged app
 * would have no local speech recognition. Only what runs is copied: the binding's
 * JavaScript and licence, and one platform package (not its GPU variants, ~240 MB more).
 * The native files are kept out of app.asar (`asar.unpack`): a shared library is loaded
 * from a real file.
 */
export const WHISPER_BINDING = '@fugood/whisper.node';

export function whisperPlatformPackage(platform: string, arch: string): string {
  return `@fugood/node-whisper-${platform}-${arch}`;
}

/**
 * The asar.unpack pattern for the native files copied here. asar matches it against the
 * file's absolute path, or, having no slash, its name; a path pattern would miss a build
 * folder under a dot directory (~/.cache), since globs skip those.
 */
export const UNPACK_NATIVE = '*.{node,so,dylib,dll}';

export function packNativeModules(
  buildPath: string,
  platform: string,
  arch: string,
  projectDir = process.cwd(),
): string[] {
  const require = createRequire(join(projectDir, 'package.json'));
  const packageDir = (name: string) => {
    try {
      return dirname(require.resolve(`${name}/package.json`));
    } catch {
      return null;
    }
  };
  const binding = packageDir(WHISPER_BINDING);
  if (!binding) {
    throw new Error(`${WHISPER_BINDING} is not installed here; run npm install first.`);
  }
  const nativeName = whisperPlatformPackage(platform, arch);
  const native = packageDir(nativeName);
  if (!native) {
    throw new Error(
      `${nativeName} (whisper.cpp for ${platform}-${arch}) is not installed, so the package ` +
        `would have no speech recognition. npm installs it on a ${platform}-${arch} machine; ` +
        `to package for another platform, run: npm install --no-save --force ${nativeName}@<the version of ${WHISPER_BINDING}>`,
    );
  }

  const into = (name: string) => join(buildPath, 'node_modules', ...name.split('/'));
  const bindingDest = into(WHISPER_BINDING);
  mkdirSync(join(bindingDest, 'lib'), { recursive: true });
  const copied: string[] = [];
  const copy = (from: string, to: string) => {
    cpSync(from, to, { recursive: true, dereference: true });
    copied.push(to);
  };
  copy(join(binding, 'package.json'), join(bindingDest, 'package.json'));
  if (existsSync(join(binding, 'LICENSE'))) {
    copy(join(binding, 'LICENSE'), join(bindingDest, 'LICENSE'));
  }
  for (const file of readdirSync(join(binding, 'lib')).filter((f) => f.endsWith('.js'))) {
    copy(join(binding, 'lib', file), join(bindingDest, 'lib', file));
  }
  copy(native, into(nativeName));
  return copied;
}
