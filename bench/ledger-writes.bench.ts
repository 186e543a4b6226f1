/**
 * What the cluster ledger's writes cost the master (issue 15): on a real three-member etcd on loopback (the cluster
 * tests' harness), a leader writes lease envelopes (ledger-leases.ts: what goes out before each lease that raises or
 * extends one) one after the other, and in rounds of many at once as a dispatch round sends them (every lease of a
 * round in parallel). Each write is one etcd transaction conditional on the term. Figures: the time one write adds
 * before its lease goes out (median, p99) and writes per second. Loopback, so a LAN adds its round trip to each.
 */
import { LedgerLeases } from '../edge/cluster/ledger-leases';
import { EtcdCluster } from '../test/integration/cluster/support/etcd-cluster';
import { RecordedNode, siteSettings } from '../test/integration/cluster/support/recorded-node';
import { percentile, printTable } from './measure';

const SEQUENTIAL = 500;
const ROUNDS = 20;
const LEASES_PER_ROUND = 50;

const envelope = (transactionId: number) => ({
  transactionId,
  chargerId: `CP-${transactionId}`,
  connectorId: 1,
  amps: 16,
  phases: 3 as const,
  validTo: Date.now() + 120_000,
});

async function timed(write: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await write();
  return performance.now() - start;
}

export async function benchLedgerWrites(): Promise<void> {
  const etcd = await EtcdCluster.start(3);
  const node = new RecordedNode('bench', siteSettings(etcd.endpoints, 6));
  try {
    node.leadership.start();
    await node.electedTimes(1, 30_000);
    const leases = new LedgerLeases(node.ledger);
    for (let k = 0; k < 50; k++) await leases.write(envelope(k));

    const one: number[] = [];
    const sequentialStart = performance.now();
    for (let k = 0; k < SEQUENTIAL; k++) one.push(await timed(() => leases.write(envelope(k))));
    const sequentialS = (performance.now() - sequentialStart) / 1000;

    const inRound: number[] = [];
    const roundMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const start = performance.now();
      const times = await Promise.all(
        Array.from({ length: LEASES_PER_ROUND }, (_, k) => timed(() => leases.write(envelope(r * 1000 + k)))),
      );
      roundMs.push(performance.now() - start);
      inRound.push(...times);
    }
    const ms = (value: number) => value.toFixed(1);
    printTable(
      'Cluster ledger writes (3-member etcd on loopback, one lease envelope per write)',
      ['pattern', 'writes', 'median ms', 'p99 ms', 'writes/s'],
      [
        [
          'one at a time',
          String(SEQUENTIAL),
          ms(percentile(one, 0.5)),
          ms(percentile(one, 0.99)),
          (SEQUENTIAL / sequentialS).toFixed(0),
        ],
        [
          `${LEASES_PER_ROUND} at once (a round)`,
          String(inRound.length),
          ms(percentile(inRound, 0.5)),
          ms(percentile(inRound, 0.99)),
          (inRound.length / (roundMs.reduce((a, b) => a + b, 0) / 1000)).toFixed(0),
        ],
      ],
    );
    console.log(
      `  a round of ${LEASES_PER_ROUND}: median ${ms(percentile(roundMs, 0.5))} ms, p99 ${ms(percentile(roundMs, 0.99))} ms until its last write went through`,
    );
  } finally {
    await node.close();
    await etcd.stop();
  }
}
