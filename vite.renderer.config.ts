import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The Silero VAD model and the ONNX runtime's WASM ship inside npm packages; the renderer
 * fetches them at run time, so they are copied next to the page (nothing is downloaded).
 */
function vadAssets(): Plugin {
  const vadDir = join(dirname(require.resolve('@ricky0123/vad-web')), '.');
  const ortDir = dirname(require.resolve('onnxruntime-web/wasm'));
  const files: Record<string, string> = {
    'vad/silero_vad_v5.onnx': join(vadDir, 'silero_vad_v5.onnx'),
    'vad/ort-wasm-simd-threaded.wasm': join(ortDir, 'ort-wasm-simd-threaded.wasm'),
    'vad/ort-wasm-simd-threaded.mjs': join(ortDir, 'ort-wasm-simd-threaded.mjs'),
  };
  return {
    name: 'mockloop-vad-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const key = (req.url ?? '').replace(/^\//, '').split('?')[0] ?? '';
        const file = files[key];
        if (!file) return next();
        res.setHeader(
          'Content-Type',
          key.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream',
        );
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [fileName, file] of Object.entries(files)) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}

/**
 * The whiteboard's fonts ship in @excalidraw/excalidraw; served from `excalidraw/fonts/`
 * next to the page (renderer/workspace/Whiteboard.tsx sets EXCALIDRAW_ASSET_PATH), so the
 * board never reaches for Excalidraw's CDN. Xiaolai (13 MB, Chinese/Japanese glyphs) is
 * left out: such text falls back to a system font.
 */
function excalidrawFonts(): Plugin {
  // The package's `exports` hide package.json; its main entry sits in dist/prod/.
  const fontsDir = join(dirname(require.resolve('@excalidraw/excalidraw')), 'fonts');
  const files = new Map<string, string>();
  for (const entry of readdirSync(fontsDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.woff2')) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(fontsDir, path).split(sep).join('/');
    if (rel.startsWith('Xiaolai/')) continue;
    files.set(`excalidraw/fonts/${rel}`, path);
  }
  return {
    name: 'mockloop-excalidraw-fonts',
    // Excalidraw lists its CDN after the asset path as a second source of every font; the
    // policy refuses it, but each refusal is logged. Point that fallback at our own origin.
    transform(code, id) {
      if (!id.includes('@excalidraw/excalidraw/dist/') || !code.includes('https://esm.sh/')) {
        return null;
      }
      return {
        code: code.replaceAll('https://esm.sh/', '${window.location.origin}/excalidraw/fallback/'),
        map: null,
      };
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const key = (req.url ?? '').replace(/^\//, '').split('?')[0] ?? '';
        const file = files.get(key);
        if (!file) return next();
        res.setHeader('Content-Type', 'font/woff2');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [fileName, file] of files) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}

/**
 * Python for the code pad's Run: Pyodide's runtime (WebAssembly) and standard library ship
 * in the `pyodide` package (MPL-2.0) and are served from `pyodide/` next to the page; the
 * sandbox gets them from the app, never from a CDN (renderer/workspace/sandbox/).
 */
function pyodideAssets(): Plugin {
  const dir = dirname(require.resolve('pyodide/pyodide.mjs'));
  const names = [
    'pyodide.asm.mjs',
    'pyodide.asm.wasm',
    'python_stdlib.zip',
    'pyodide-lock.json',
    'pyodide.js',
  ];
  const files = new Map(names.map((name) => [`pyodide/${name}`, join(dir, name)]));
  return {
    name: 'mockloop-pyodide-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const key = (req.url ?? '').replace(/^\//, '').split('?')[0] ?? '';
        const file = files.get(key);
        if (!file) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [fileName, file] of files) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}

export default defineConfig({
  root: resolve(here, 'renderer'),
  base: './',
  plugins: [react(), vadAssets(), excalidrawFonts(), pyodideAssets()],
  build: {
    outDir: resolve(here, '.vite/renderer/main_window'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
