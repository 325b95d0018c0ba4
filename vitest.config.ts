import { defineConfig } from 'vitest/config';

const CRASH_TEST = 'test/large/crash-safety.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The crash test runs a server, a worker and PostgreSQL flat out for a minute or two: it runs after every other
    // suite, alone, so that neither slows the other.
    projects: [
      {
        extends: true,
        test: { name: 'writ', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [CRASH_TEST], sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'crash', include: [CRASH_TEST], sequence: { groupOrder: 1 } } },
    ],
  },
});
