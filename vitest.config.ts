import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that must have the machine to themselves; they run one at a time after every other file is done.
 * - cluster: network namespaces, veth pairs, keepalived and etcd, and failover timed by VRRP adverts and etcd leases;
 * - release-install, release-upgrade and start-command: they build dist/edge/agent (and a release rebuilds
 *   dist/browser/dashboard) in place, under the agents and dashboards that the other files serve from there.
 */
const ALONE = [
  'test/integration/cluster/**/*.test.ts',
  'test/integration/release/release-install.test.ts',
  'test/integration/release/release-upgrade.test.ts',
  'test/integration/edge/start-command.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    // The agent and the console servers serve prebuilt bundles (npm run build); this builds them when stale.
    globalSetup: ['test/support/browser-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two lanes, one after the other (vitest runs a project whose files go one at a time after the parallel ones).
    // Side by side: every other file, 2 at once; on 2 cores that pays, as most of them wait on sockets, timers,
    // browsers and DynamoDB Local (3 at once starved files that start DynamoDB Local and CPU-bound ones on a loaded machine). They bind port 0, except servers a test stops and starts again on the same port,
    // which take a port below the ephemeral range that no other socket is handed meanwhile (test/support/restart-port.ts).
    projects: [
      {
        extends: true,
        test: {
          name: 'side-by-side',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: 2,
        },
      },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false } },
    ],
  },
});
