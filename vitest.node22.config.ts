import { defineConfig } from 'vitest/config';

/**
 * The Node 22 lane (scripts/node22-lane.sh, run by .ci/run): a bounded set on Node 22 LTS. The release builds and
 * installs, and its agent (plain node) answers a BootNotification; SQLite (the native addon built for Node 22), the
 * OCPP central system over real WebSockets, the charger handlers and the allocator's unit tests.
 */
export default defineConfig({
  test: {
    environment: 'node',
    globalSetup: ['test/support/browser-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    include: [
      'test/integration/release/release-install.test.ts',
      'test/integration/ocpp/central-system-boot.test.ts',
      'test/unit/edge/store/sqlite-store.test.ts',
      'test/unit/edge/store/site-version-store.test.ts',
      'test/unit/edge/ocpp/charge-point-handlers.test.ts',
      'test/unit/edge/ocpp/meter-values.test.ts',
      'test/unit/shared/issue-reasons.test.ts',
      'test/unit/shared/units.test.ts',
    ],
  },
});
