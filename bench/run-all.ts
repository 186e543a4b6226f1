/**
 * `npm run bench [-- <name> ...]`: runs every benchmark, or only the named ones (`npm run bench -- edge-capacity`), and
 * prints their figures (latest results are kept in docs/benchmarks.md).
 */
export {};

/**
 * By the name of each file, `bench/<name>.bench.ts`, in the order they run. Each is loaded only when it runs, so a
 * benchmark measures in a process that does not also hold every other benchmark's modules (the AWS SDK, the agent).
 */
const BENCHES: Record<string, () => Promise<unknown>> = {
  allocate: async () => (await import('./allocate.bench')).benchAllocate(),
  'control-quality': async () => (await import('./control-quality.bench')).benchControlQuality(),
  'control-round': async () => (await import('./control-round.bench')).benchControlRound(),
  'edge-reaction': async () => (await import('./edge-reaction.bench')).benchEdgeReaction(),
  'edge-capacity': async () => (await import('./edge-capacity.bench')).benchEdgeCapacity(),
  outbox: async () => (await import('./outbox.bench')).benchOutbox(),
  'policy-push': async () => (await import('./policy-push.bench')).benchPolicyPush(),
  'ingest-throughput': async () => (await import('./ingest-throughput.bench')).benchIngestThroughput(),
  'lambda-bundles': async () => (await import('./lambda-bundles.bench')).benchLambdaBundles(),
  upstream: async () => (await import('./upstream.bench')).benchUpstream(),
  failover: async () => (await import('./failover.bench')).benchFailover(),
  'ledger-writes': async () => (await import('./ledger-writes.bench')).benchLedgerWrites(),
  demand: async () => (await import('./demand.bench')).benchDemand(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`no benchmark ${unknown.join(', ')}; the names are ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
console.log(`ampshare benchmarks — node ${process.version}, ${process.arch}`);
for (const [name, run] of Object.entries(BENCHES)) if (wanted.length === 0 || wanted.includes(name)) await run();
