import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The agent and the console servers serve prebuilt bundles (npm run build); this builds them when stale.
    globalSetup: ['test/support/browser-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time: some integration tests stop a server and listen again on the same port, which a
    // test file running beside them could take in between (seen on the outbox replay test).
    fileParallelism: false,
  },
});
