import { defineConfig } from 'vitest/config';

// Unit tests sit next to the code; cross-process and browser tests live in tests/.
// Benchmarks (bench/) and the large fixtures stay out of `npm test`.
export default defineConfig({
  test: {
    // Benchmarks themselves stay out of `npm test`; the unit tests of their pure pieces (stats) run.
    include: ['{domain,rules,electron,sync-server,renderer,tests,scripts}/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'out/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
