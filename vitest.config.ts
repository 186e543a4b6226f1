import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // The agent and the console servers serve prebuilt bundles (npm run build); this builds them when stale.
    globalSetup: ['test/support/browser-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two lanes side by side, one file at a time in each. Integration and browser tests run one at a time: some stop
    // a server and listen again on the same port, which a test file running beside them could take in between (seen
    // on the outbox replay test). Unit tests bind no fixed port and run in their own lane beside them, on the other core.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], fileParallelism: false } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
