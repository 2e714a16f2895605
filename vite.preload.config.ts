import { defineConfig } from 'vite';

// Forge supplies the preload defaults (single CommonJS file, electron external).
export default defineConfig({});
