import { defineConfig, mergeConfig } from 'vite';
import { nodeTargetConfig } from './vite.nodeTarget.ts';

// Local speech recognition's utility process (src/providers/local/whisperHost.ts).
// whisper.cpp's Node binding stays a require: its native library cannot be bundled, and
// it finds its per-platform package at run time. forge.config.ts packs both into the
// app's node_modules.
export default defineConfig(
  mergeConfig(nodeTargetConfig({}), {
    build: { rollupOptions: { external: ['@fugood/whisper.node'] } },
  }),
);
