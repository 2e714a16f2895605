import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
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

export default defineConfig({
  root: resolve(here, 'renderer'),
  base: './',
  plugins: [react(), vadAssets()],
  build: {
    outDir: resolve(here, '.vite/renderer/main_window'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
