import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { zipSync, type Zippable } from 'fflate';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LAUNCHER = join(import.meta.dirname, 'standInElectron.ts');
const FS_RECORDER = join(import.meta.dirname, 'fsRecorder.cjs');

/** @electron/fuses finds the fuse wire after this sentinel (src/constants.ts there). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's shipped fuse states ('1' on, '0' off), in FuseV1Options order. */
const SHIPPED_FUSES: Record<FuseV1Options, '0' | '1'> = {
  [FuseV1Options.RunAsNode]: '1',
  [FuseV1Options.EnableCookieEncryption]: '0',
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: '1',
  [FuseV1Options.EnableNodeCliInspectArguments]: '1',
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: '0',
  [FuseV1Options.OnlyLoadAppFromAsar]: '0',
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: '0',
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: '1',
  [FuseV1Options.WasmTrapHandlers]: '1',
};

export const electronVersion = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * The stand-in Electron binary: a shell script that runs standInElectron.ts with this
 * Node, carrying a fuse wire like the real binary's so Forge's fuses plugin can flip it.
 */
function standInBinary(): Buffer {
  const node = process.execPath;
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const wire = Object.values(SHIPPED_FUSES).join('');
  const fuseLine = Buffer.concat([
    Buffer.from(`# fuses: ${FUSE_SENTINEL}`),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
    Buffer.from('\n'),
  ]);
  return Buffer.concat([
    Buffer.from(
      '#!/bin/sh\n# Stand-in for the Electron binary (tests/support/desktop/standInDist.ts).\n',
    ),
    fuseLine,
    Buffer.from(
      `MOCKLOOP_STANDIN_EXE="$0" exec "${node}" --require "${FS_RECORDER}" --import "${tsx}" ` +
        `--disable-warning=ExperimentalWarning "${LAUNCHER}" "$@"\n`,
    ),
  ]);
}

/**
 * `dir/dist/electron` (for ELECTRON_OVERRIDE_DIST_PATH, which `npm start` honours) and
 * `dir/zips/electron-v<version>-linux-<arch>.zip` with the layout of Electron's own Linux
 * release (for the packager's `electronZipDir`).
 */
export function makeStandInElectron(dir: string): { distDir: string; zipDir: string } {
  const distDir = join(dir, 'dist');
  const zipDir = join(dir, 'zips');
  mkdirSync(distDir, { recursive: true });
  mkdirSync(zipDir, { recursive: true });
  const binary = standInBinary();
  writeFileSync(join(distDir, 'electron'), binary);
  chmodSync(join(distDir, 'electron'), 0o755);

  const file = (content: string | Buffer, mode = 0o644): Zippable[string] => [
    typeof content === 'string' ? Buffer.from(content) : content,
    { os: 3, attrs: (0o100000 | mode) << 16 },
  ];
  const layout: Zippable = {
    electron: file(binary, 0o755),
    chrome_crashpad_handler: file('stand-in', 0o755),
    'chrome-sandbox': file('stand-in', 0o755),
    'chrome_100_percent.pak': file(''),
    'chrome_200_percent.pak': file(''),
    'icudtl.dat': file(''),
    'libEGL.so': file(''),
    'libGLESv2.so': file(''),
    'libffmpeg.so': file(''),
    'libvk_swiftshader.so': file(''),
    'libvulkan.so.1': file(''),
    'resources.pak': file(''),
    'snapshot_blob.bin': file(''),
    'v8_context_snapshot.bin': file(''),
    'vk_swiftshader_icd.json': file('{}'),
    version: file(electronVersion),
    LICENSE: file('stand-in'),
    'LICENSES.chromium.html': file('<p>stand-in</p>'),
    'locales/en-US.pak': file(''),
    'resources/default_app.asar': file(''),
  };
  writeFileSync(
    join(zipDir, `electron-v${electronVersion}-linux-${process.arch}.zip`),
    zipSync(layout, { level: 1 }),
  );
  return { distDir, zipDir };
}
