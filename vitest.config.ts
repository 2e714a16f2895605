import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One temp folder for the whole run, removed at its end (tests/support/testRunTempDir.ts).
    globalSetup: ['tests/support/testRunTempDir.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'desktop',
          include: ['tests/desktop/**/*.test.ts'],
          environment: 'node',
          // Forge's own builds and packaging, then the app under a stand-in Electron. One
          // file at a time, with the e2e files (same group): they need the two cores.
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          // Each e2e file drives a real Chromium round in real time: they run one at a
          // time after the unit tests, which would otherwise compete for the two cores.
          sequence: { groupOrder: 1 },
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
