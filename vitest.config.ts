import { defineConfig } from 'vitest/config';

// Every call result and event payload is checked against the contract's schemas (registry.ts),
// in the tests' own processes and in the web-mode processes they start.
const env = { VIRTDECK_VALIDATE_CONTRACT: '1' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Tests share the lab; one file at a time keeps them from fighting over hosts.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'electron',
          include: ['test/electron/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
