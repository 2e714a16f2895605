import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layering (see docs/ARCHITECTURE.md): dependencies point down.
 * core < engine < (providers, storage) < backend < (main, server); the renderer talks to
 * the backend only through src/api. Only src/main and src/preload may import electron.
 */
const electron = {
  name: 'electron',
  message: 'Only src/main and src/preload may import electron.',
};
const noIo = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
  name,
  message: 'core and engine do no I/O: take a port instead.',
}));
const noUi = ['react', 'react-dom', 'zustand'].map((name) => ({
  name,
  message: 'UI libraries belong in renderer/.',
}));
const layer = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths: [electron, ...paths], patterns }],
});
const up = (...dirs) =>
  dirs.map((d) => ({
    group: [`**/${d}/**`, `../${d}`, `../../${d}`],
    message: `This layer may not import ${d}/ (dependencies point down).`,
  }));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      '.vite/**',
      'out/**',
      'tests/.artifacts/**',
      'renderer/audio/*.worklet.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: layer(
      up(
        'engine',
        'providers',
        'storage',
        'backend',
        'main',
        'preload',
        'server',
        'api',
        'renderer',
      ),
      [...noIo, ...noUi],
    ),
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: layer(up('storage', 'backend', 'main', 'preload', 'server', 'renderer'), [
      ...noIo,
      ...noUi,
    ]),
  },
  {
    files: ['src/providers/**/*.ts', 'src/storage/**/*.ts'],
    rules: layer(up('backend', 'main', 'preload', 'server', 'renderer'), noUi),
  },
  {
    files: ['src/api/**/*.ts'],
    rules: layer(up('providers', 'storage', 'backend', 'main', 'preload', 'server', 'renderer'), [
      ...noIo,
      ...noUi,
    ]),
  },
  {
    files: ['src/backend/**/*.ts', 'src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: layer(up('main', 'preload', 'renderer'), noUi),
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: up('renderer') }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer(
        up(
          'engine/liveRound',
          'providers/openai',
          'providers/embedded',
          'storage',
          'backend',
          'main',
          'server',
        ),
        noIo,
      ),
    },
  },
  {
    files: ['tests/**/*.ts', 'scripts/**/*.{js,mjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Preloaded with `node --require` (tests/support/desktop/): CommonJS by necessity.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
