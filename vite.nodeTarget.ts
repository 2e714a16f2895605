import { readFileSync } from 'node:fs';
import type { Plugin, UserConfig } from 'vite';

/**
 * What the main-process targets (main, voice host) share on top of Forge's defaults:
 * - The bundles are CommonJS, where import.meta is empty; backend code shared with browser
 *   mode (an ES module there) uses import.meta.url to find files shipped in packages.
 * - Files the bundle reads at run time are copied beside it into `.vite/build/`, which
 *   Forge packs into app.asar: the packaged app reads nothing from node_modules (Forge's
 *   Vite plugin does not pack it). src/main/appFiles.ts names them on the reading side.
 */
export function nodeTargetConfig(shipped: Record<string, string>): UserConfig {
  return {
    define: {
      'import.meta.url': 'require("node:url").pathToFileURL(__filename).href',
    },
    plugins: [shipBesideBundle(shipped)],
  };
}

function shipBesideBundle(files: Record<string, string>): Plugin {
  return {
    name: 'mockloop-ship-beside-bundle',
    generateBundle() {
      for (const [fileName, source] of Object.entries(files)) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(source) });
      }
    },
  };
}
