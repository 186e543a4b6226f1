/**
 * Size of each Lambda bundle, built with esbuild exactly as the CDK and `npm run build` build it
 * (infra/lambda-bundling.ts, scripts/build-cloud.ts; target: the api bundle under 1 MB, since cold start grows with
 * it), and a paper estimate of the AWS cost per site per month.
 */
import { buildSync } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { HANDLER_NAMES, type HandlerName } from '../infra/lambda-bundling';
import { handlerBuildOptions } from '../scripts/build-cloud';
import { printTable } from './measure';

const API_BUDGET_BYTES = 1024 * 1024;

interface BundleSize {
  readonly name: HandlerName;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The three inputs that weigh most in the output, by package. */
  readonly heaviest: string;
}

/** Bundles one handler in memory (minified ESM for node22, the runtime's AWS SDK left out) and measures it. */
function bundle(name: HandlerName): BundleSize {
  const result = buildSync({
    ...handlerBuildOptions(name),
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = match ? match[1]! : input.split('/').slice(0, 2).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  const heaviest = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([key, bytes]) => `${key} ${kb(bytes)}`)
    .join(', ');
  return { name, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength, heaviest };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

/**
 * Prices (USD, us-east-1, on-demand, public price pages as of 2025; check them before quoting): each is per unit
 * named in the key. The free tier is left out on purpose: it does not scale with sites.
 */
const PRICES = {
  iotMessagePerMillion: 1.0, // per million 5 kB message units (first billion a month)
  iotConnectionMinutePerMillion: 0.08,
  iotRuleTriggeredPerMillion: 0.15,
  iotRuleActionPerMillion: 0.15,
  sqsStandardRequestPerMillion: 0.4, // each 64 KiB chunk of a request counts as one request
  lambdaRequestPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  dynamoWriteUnitPerMillion: 0.625,
  dynamoReadUnitPerMillion: 0.125,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  logsIngestedGb: 0.5,
};

/** The workload of one site: what each telemetry message costs downstream (see docs/infrastructure.md). */
const SITE = {
  messagesPerMonth: (30 * 24 * 3600) / 10, // one telemetry batch every 10 s, one message each, under 5 kB
  connectionMinutesPerMonth: 30 * 24 * 60, // always connected
  // The rule's SendMessage, the Lambda poller's ReceiveMessage and DeleteMessage, each one 64 KiB chunk; at one
  // message per 10 s a receive seldom carries more than one message of a site, so batching is not counted.
  sqsRequestsPerMessage: 3,
  ingestMemoryGb: 0.25, // the ingest function's 256 MB
  ingestDurationS: 0.03, // assumed warm average: one BatchGet, one BatchWrite, one ledger BatchWrite, one GSI1 query
  writeUnitsPerMessage: 2, // telemetry row (< 1 kB) + message-id ledger row
  readUnitsPerMessage: 1.5, // strongly consistent ledger read (1) + eventually consistent gateway lookup (0.5)
  storedBytesPerMessage: 450, // telemetry row ~300 B kept 30 days + ledger row ~150 B kept 35 days
  retainedMonths: 1,
  logBytesPerMessage: 300, // one JSON log line per invocation at LOG_LEVEL=info
};

/** The cost lines of one site for a month, in USD. */
export function siteMonthlyCost(): Array<{ item: string; usd: number }> {
  const n = SITE.messagesPerMonth;
  const gb = (bytes: number) => bytes / 1024 ** 3;
  const storedGb = gb(n * SITE.storedBytesPerMessage * SITE.retainedMonths);
  return [
    { item: 'IoT Core messages', usd: (n / 1e6) * PRICES.iotMessagePerMillion },
    {
      item: 'IoT Core connection minutes',
      usd: (SITE.connectionMinutesPerMonth / 1e6) * PRICES.iotConnectionMinutePerMillion,
    },
    {
      item: 'IoT rules (trigger + SQS action)',
      usd: (n / 1e6) * (PRICES.iotRuleTriggeredPerMillion + PRICES.iotRuleActionPerMillion),
    },
    {
      item: 'SQS ingest queue (send, receive, delete)',
      usd: ((n * SITE.sqsRequestsPerMessage) / 1e6) * PRICES.sqsStandardRequestPerMillion,
    },
    { item: 'Lambda requests (ingest)', usd: (n / 1e6) * PRICES.lambdaRequestPerMillion },
    {
      item: 'Lambda compute (ingest, arm64)',
      usd: n * SITE.ingestDurationS * SITE.ingestMemoryGb * PRICES.lambdaArmGbSecond,
    },
    {
      item: 'DynamoDB on-demand writes',
      usd: ((n * SITE.writeUnitsPerMessage) / 1e6) * PRICES.dynamoWriteUnitPerMillion,
    },
    { item: 'DynamoDB on-demand reads', usd: ((n * SITE.readUnitsPerMessage) / 1e6) * PRICES.dynamoReadUnitPerMillion },
    { item: 'DynamoDB storage + PITR', usd: storedGb * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth) },
    { item: 'CloudWatch Logs (ingest, info level)', usd: gb(n * SITE.logBytesPerMessage) * PRICES.logsIngestedGb },
  ];
}

/** Bundles every handler, prints the sizes (flagging an api bundle over budget) and the cost estimate with its assumptions. */
export function benchLambdaBundles(): void {
  const sizes = HANDLER_NAMES.map(bundle);
  printTable(
    'Lambda bundles (esbuild, minified ESM, node22, @aws-sdk/* from the runtime)',
    ['handler', 'bytes', 'gzip', 'heaviest inputs'],
    sizes.map((s) => [s.name, kb(s.bytes), kb(s.gzipBytes), s.heaviest]),
  );
  const api = sizes.find((s) => s.name === 'api')!;
  console.log(
    `api bundle: ${kb(api.bytes)} of the ${kb(API_BUDGET_BYTES)} budget${api.bytes > API_BUDGET_BYTES ? ' — OVER BUDGET' : ''}`,
  );

  const lines = siteMonthlyCost();
  const total = lines.reduce((sum, line) => sum + line.usd, 0);
  printTable(
    'AWS cost per site per month, one telemetry message every 10 s (paper estimate)',
    ['item', 'USD'],
    [...lines.map((l) => [l.item, l.usd.toFixed(4)]), ['total', total.toFixed(3)]],
  );
  console.log('Assumptions:');
  for (const [key, value] of Object.entries(SITE)) console.log(`  ${key}: ${Number(value.toFixed(4))}`);
  console.log(`  prices (USD, us-east-1, 2025 price pages, free tier ignored): ${JSON.stringify(PRICES)}`);
  console.log(
    '  not counted: the API, console and policy pushes (operator traffic, not per message), sessions and events (a few per day), data transfer, ' +
      "the Lambda poller's empty long-poll receives (per deployment, not per site: about 0.65 million a month, $0.26).",
  );
}
