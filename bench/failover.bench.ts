/**
 * The failover timeline (issue 15), on the network-namespace lab of the cluster tests (root only, as those tests):
 * two agents with keepalived, a three-member etcd with a witness, the simulator's chargers dialling the virtual address
 * (a ping every 2 s, a 3 s connect timeout), each with a transaction running. Each round kills the master with SIGKILL
 * and measures from the kill: the other agent serving as master, the virtual address on its gateway, every charger
 * re-attached (connected and booted again), each charger's time without a master (until the new master's first
 * SetChargingProfile) and its time at the fail-safe (from when the old master's last lease stopped holding until the new
 * master's first lease, fail-safe-time.ts). Then the old master is started
 * again and watched for a while: the address and the master must not move back (no pre-emption).
 *
 * FAILOVER_CHARGERS: the fleet sizes, comma-separated (default 3,100). FAILOVER_ROUNDS: rounds per size (default 3).
 * FAILOVER_BACKOFF: `real` (default: a real charger's reconnect back-off, REAL_CHARGER_BACKOFF) or `test` (the tests'
 * 250 ms doubling to 2 s, the figures before the fleet run).
 */
import {
  DEFAULT_RECONNECT_BACKOFF,
  REAL_CHARGER_BACKOFF,
  type ReconnectBackOff,
} from '../sim/charger/charger-reconnect';
import { type Cleanups, FailoverSite, startMs } from '../test/integration/cluster/support/failover-site';
import { vrrpLabUnavailable } from '../test/integration/cluster/support/vrrp-lab';
import { atFailSafeMs, leaseEndMs } from './fail-safe-time';
import { percentile, printTable } from './measure';

const DEFAULT_SIZES = [3, 100];
const DEFAULT_ROUNDS = 3;
const POLL_MS = 50;
/** A real charger's back-off may wait 15 + 30 + 60 s (and up to 5 s each) before it gets through: give it that. */
const GIVE_UP_MS = 180_000;
/** How long the old master is watched once it is back. */
const WATCH_RETURN_MS = 8_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Round {
  readonly servingMs: number;
  readonly addressMs: number;
  readonly reattachedMs: number[];
  readonly withoutMasterMs: number[];
  readonly atFailSafeMs: number[];
  readonly flaps: number;
}

/** Polls `check` until it holds; the time it first held, from `since`. */
async function timeUntil(what: string, since: number, check: () => boolean): Promise<number> {
  while (!check()) {
    if (performance.now() - since > GIVE_UP_MS) throw new Error(`failover bench: not within ${GIVE_UP_MS} ms: ${what}`);
    await sleep(POLL_MS);
  }
  return performance.now() - since;
}

async function round(chargers: number, backOff: ReconnectBackOff): Promise<Round> {
  const cleanups: Cleanups = [];
  try {
    const site = await FailoverSite.start(cleanups, { chargers, backOff });
    const [a, b] = [site.node(0), site.node(1)];
    const killedAt = performance.now();
    const killedAtMs = Date.now();
    a.signal('SIGKILL');
    const reattached = site.chargers.map((cp) => timeUntil('re-attached', killedAt, () => cp.boots >= 2));
    const withoutMaster = site.chargers.map((cp) =>
      timeUntil('a lease from the new master', killedAt, () =>
        cp.wire.received.some((call) => call.method === 'SetChargingProfile' && call.connection >= 2),
      ),
    );
    const serving = timeUntil('the new master serving', killedAt, () => b.messages.includes('serving as master'));
    const address = timeUntil('the address on gw2', killedAt, () => site.lab.holders().join() === 'gw2');
    const result = {
      servingMs: await serving,
      addressMs: await address,
      reattachedMs: await Promise.all(reattached),
      withoutMasterMs: await Promise.all(withoutMaster),
    };
    // A lease from the new master comes with its first allocation round after the charger re-attached
    await timeUntil('a lease from the new master for every charger', killedAt, () =>
      site.chargers.every((cp) =>
        cp.wire.received.some((call) => call.atMs > killedAtMs && leaseEndMs(call.params) !== undefined),
      ),
    ).catch(() => undefined);
    const endMs = Date.now();
    const failSafe = site.chargers.map((cp) =>
      atFailSafeMs(
        cp.wire.received.filter((call) => call.method === 'SetChargingProfile'),
        killedAtMs,
        endMs,
      ),
    );
    await a.exited();
    const back = site.startNode(0);
    await back.logged('edge agent running', startMs(chargers));
    let flaps = 0;
    const watchUntil = performance.now() + WATCH_RETURN_MS;
    while (performance.now() < watchUntil) {
      if (site.lab.holders().join() !== 'gw2' || back.messages.includes('serving as master')) flaps += 1;
      await sleep(POLL_MS * 4);
    }
    return { ...result, atFailSafeMs: failSafe, flaps };
  } finally {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }
}

function report(chargers: number, backOffName: string, rounds: readonly Round[]): void {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const all = (pick: (r: Round) => number[]) => rounds.flatMap(pick);
  const row = (what: string, samples: number[]) => [
    what,
    s(percentile(samples, 0.5)),
    s(percentile(samples, 0.95)),
    s(Math.max(...samples)),
    String(samples.length),
  ];
  printTable(
    `failover after SIGKILL of the master (${rounds.length} rounds, ${chargers} chargers, ${backOffName} back-off; seconds from the kill)`,
    ['', 'p50', 'p95', 'max', 'samples'],
    [
      row(
        'new master serving',
        rounds.map((r) => r.servingMs),
      ),
      row(
        'virtual address on its gateway',
        rounds.map((r) => r.addressMs),
      ),
      row(
        'charger re-attached',
        all((r) => r.reattachedMs),
      ),
      row(
        'charger without a master (to its first lease)',
        all((r) => r.withoutMasterMs),
      ),
      row(
        'charger at its fail-safe',
        all((r) => r.atFailSafeMs),
      ),
    ],
  );
  const chargerSeconds = rounds.map((r) => r.atFailSafeMs.reduce((sum, ms) => sum + ms, 0) / 1000);
  console.log(
    `charger-seconds at the fail-safe per round: ${chargerSeconds.map((x) => x.toFixed(1)).join(', ')}; ` +
      `old master started again: the address or the master moved back ${rounds.reduce((n, r) => n + r.flaps, 0)} times in ${rounds.length} rounds of ${WATCH_RETURN_MS / 1000} s`,
  );
}

export async function benchFailover(): Promise<void> {
  const unavailable = vrrpLabUnavailable();
  if (unavailable !== undefined) {
    console.log(`\nfailover: skipped (${unavailable})`);
    return;
  }
  const sizes = process.env.FAILOVER_CHARGERS?.split(',').map(Number) ?? DEFAULT_SIZES;
  const roundsPerSize = Number(process.env.FAILOVER_ROUNDS ?? DEFAULT_ROUNDS);
  const backOffName = process.env.FAILOVER_BACKOFF ?? 'real';
  if (backOffName !== 'real' && backOffName !== 'test')
    throw new Error(`FAILOVER_BACKOFF is real or test, not ${backOffName}`);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(roundsPerSize) || roundsPerSize < 1)
    throw new Error('FAILOVER_CHARGERS takes whole numbers of chargers (e.g. 3,100), FAILOVER_ROUNDS a whole number');
  const backOff = backOffName === 'real' ? REAL_CHARGER_BACKOFF : DEFAULT_RECONNECT_BACKOFF;
  for (const chargers of sizes) {
    const rounds: Round[] = [];
    for (let i = 0; i < roundsPerSize; i += 1) rounds.push(await round(chargers, backOff));
    report(chargers, backOffName, rounds);
  }
}
