/**
 * `npm run bench [-- <name> ...]`: runs every benchmark, or only the named ones (`npm run bench -- edge-capacity`), and
 * prints their figures (latest results are kept in docs/benchmarks.md).
 */
import { benchAllocate } from './allocate.bench';
import { benchEdgeCapacity } from './edge-capacity.bench';
import { benchEdgeReaction } from './edge-reaction.bench';
import { benchIngestThroughput } from './ingest-throughput.bench';
import { benchLambdaBundles } from './lambda-bundles.bench';
import { benchOutbox } from './outbox.bench';
import { benchPolicyPush } from './policy-push.bench';

/** By the name of each file, `bench/<name>.bench.ts`, in the order they run. */
const BENCHES: Record<string, () => unknown> = {
  allocate: benchAllocate,
  'edge-reaction': benchEdgeReaction,
  'edge-capacity': benchEdgeCapacity,
  outbox: benchOutbox,
  'policy-push': benchPolicyPush,
  'ingest-throughput': benchIngestThroughput,
  'lambda-bundles': benchLambdaBundles,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`no benchmark ${unknown.join(', ')}; the names are ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
console.log(`ampshare benchmarks — node ${process.version}, ${process.arch}`);
for (const [name, run] of Object.entries(BENCHES)) if (wanted.length === 0 || wanted.includes(name)) await run();
