import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { packNativeModules, UNPACK_NATIVE } from './scripts/packNativeModules.ts';

/** Icons are generated from assets/icon.svg by `npm run icons` (scripts/generateIcons.ts). */
const ICONS = 'assets/icons';
const description = 'Rehearse real interview loops out loud with an AI interviewer.';
/** The freedesktop hicolor theme's sizes, for the .deb's desktop entry and menus. */
const hicolor = Object.fromEntries(
  [16, 24, 32, 48, 64, 128, 256, 512].map((s) => [`${s}x${s}`, `${ICONS}/png/${s}x${s}.png`]),
);

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Mockloop',
    executableName: 'mockloop',
    // whisper.cpp's native library is loaded from a real file beside the archive.
    asar: { unpack: UNPACK_NATIVE },
    // The packager adds .ico (Windows) or .icns (macOS); Linux takes the maker's PNG.
    icon: `${ICONS}/icon`,
    appCategoryType: 'public.app-category.education',
    // Round packs ship beside the app so users can read and copy them (src/main/appFiles.ts).
    extraResource: ['prompts'],
    // A folder holding electron-v<version>-<platform>-<arch>.zip, for packaging without a
    // download (an offline build machine; the desktop tests' stand-in Electron).
    ...(process.env.MOCKLOOP_ELECTRON_ZIP_DIR
      ? { electronZipDir: process.env.MOCKLOOP_ELECTRON_ZIP_DIR }
      : {}),
  },
  rebuildConfig: {},
  hooks: {
    // Local speech recognition's Node binding and native library go into the app's
    // node_modules (Forge's Vite plugin packs only .vite/); see scripts/packNativeModules.ts.
    packageAfterCopy: async (_config, buildPath, _electronVersion, platform, arch) => {
      packNativeModules(buildPath, platform, arch);
    },
  },
  makers: [
    new MakerSquirrel({
      name: 'Mockloop',
      setupIcon: `${ICONS}/icon.ico`,
      description,
    }),
    new MakerZIP({}, ['darwin']),
    new MakerDeb({
      options: {
        name: 'mockloop',
        productName: 'Mockloop',
        genericName: 'Interview rehearsal',
        description,
        productDescription:
          'Rehearse interview loops out loud: an interviewer persona asks, listens, follows ' +
          'up and keeps time; sessions are saved on this computer to replay and score.',
        categories: ['Education', 'Office'],
        // electron-installer-debian takes a size → file map for the hicolor theme; Forge's
        // type knows only a single path.
        icon: { ...hicolor, scalable: 'assets/icon.svg' } as unknown as string,
        section: 'education',
        // whisper.cpp (local speech recognition) is built with OpenMP.
        depends: ['libgomp1'],
      },
    }),
  ],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'src/main/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'src/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
        // The embedded voice's utility process (see src/main/fliteUtilityProcess.ts).
        {
          entry: 'src/providers/embedded/fliteHost.ts',
          config: 'vite.host.config.ts',
          target: 'main',
        },
        // Local speech recognition's utility process (see src/main/whisperUtilityProcess.ts).
        {
          entry: 'src/providers/local/whisperHost.ts',
          config: 'vite.whisperHost.config.ts',
          target: 'main',
        },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    }),
  ],
};

export default config;
