import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { nodeTargetConfig } from './vite.nodeTarget.ts';

const icon = fileURLToPath(new URL('./assets/icons/png/512x512.png', import.meta.url));

// Forge merges its own main-process defaults (CommonJS, Node conditions) into this.
export default defineConfig(nodeTargetConfig({ 'icon.png': icon }));
