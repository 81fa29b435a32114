import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**', '.tmp/**'],
    // The YAML libraries the core's loader reaches through a port (src/core/scenario/yaml-library.ts).
    setupFiles: ['./test/support/node-ports.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
