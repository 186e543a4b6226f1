/** `npm run bench`: runs every benchmark and prints its figures (latest results are kept in docs/benchmarks.md). */
import { benchAllocate } from './allocate.bench';
import { benchEdgeCapacity } from './edge-capacity.bench';
import { benchEdgeReaction } from './edge-reaction.bench';
import { benchLambdaBundles } from './lambda-bundles.bench';
import { benchOutbox } from './outbox.bench';
import { benchPolicyPush } from './policy-push.bench';

console.log(`ampshare benchmarks — node ${process.version}, ${process.arch}`);
benchAllocate();
await benchEdgeReaction();
await benchEdgeCapacity();
await benchOutbox();
await benchPolicyPush();
benchLambdaBundles();
