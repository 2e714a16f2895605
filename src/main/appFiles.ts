import { join } from 'node:path';

/**
 * Every file the desktop app loads from its own build at run time, in one place. Forge's
 * Vite plugin writes the main, preload and voice-host bundles to `.vite/build/` and the
 * renderer to `.vite/renderer/<name>/`; packaged, both folders sit inside `app.asar`, and
 * the round packs beside it in `resources/prompts` (forge.config.ts `extraResource`).
 * A plain function of paths, so the desktop tests check the same list against Forge's
 * output and the packaged app without Electron (tests/desktop/).
 */
export interface AppFiles {
  /** The window's preload (sandboxed: it may require only electron). */
  preload: string;
  /** Entry of the utility process that runs the offline voice. */
  voiceHost: string;
  /** The offline voice itself (Flite compiled to WASI, voices built in). */
  voiceModule: string;
  /**
   * Entry of the utility process that runs local speech recognition. It loads
   * whisper.cpp's Node binding, which the packager puts into the app's node_modules
   * (forge.config.ts, scripts/packNativeModules.ts).
   */
  speechHost: string;
  /** The window icon (Linux and Windows show it; macOS uses the bundle's). */
  windowIcon: string;
  /** The built renderer, served as `mockloop://app/`. */
  rendererDir: string;
}

/** `buildDir` is the folder of the running main bundle (its `__dirname`). */
export function appFiles(buildDir: string, rendererName: string): AppFiles {
  return {
    preload: join(buildDir, 'preload.cjs'),
    voiceHost: join(buildDir, 'fliteHost.cjs'),
    voiceModule: join(buildDir, 'flite.wasm'),
    speechHost: join(buildDir, 'whisperHost.cjs'),
    windowIcon: join(buildDir, 'icon.png'),
    rendererDir: join(buildDir, '..', 'renderer', rendererName),
  };
}

/** Round packs: shipped as an extra resource when packaged, the project's own in development. */
export function promptsDir(app: { isPackaged: boolean; appPath: string; resourcesPath: string }) {
  return app.isPackaged ? join(app.resourcesPath, 'prompts') : join(app.appPath, 'prompts');
}
