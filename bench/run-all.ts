/** `npm run bench`: runs every benchmark and prints its figures (latest results are kept in docs/benchmarks.md). */
import { benchAllocate } from './allocate.bench';
import { benchLambdaBundles } from './lambda-bundles.bench';

console.log(`ampshare benchmarks — node ${process.version}, ${process.arch}`);
benchAllocate();
benchLambdaBundles();
