/**
 * The failover timeline (issue 15), on the network-namespace lab of the cluster tests (root only, as those tests):
 * two agents with keepalived, a three-member etcd with a witness, the simulator's chargers dialling the virtual address
 * with the test chargers' documented connection handling (reconnect back-off 250 ms doubling to 2 s, a ping every 2 s,
 * a 3 s connect timeout). Each round kills the master with SIGKILL and measures from the kill: the other agent serving
 * as master, the virtual address on its gateway, every charger re-attached (connected and booted again), and each
 * charger's time without a master (until the first SetChargingProfile of the new master: meanwhile it runs on the
 * profiles it holds, at worst its fail-safe). Then the old master is started again and watched for a while: the
 * address and the master must not move back (no pre-emption).
 */
import { type Cleanups, FailoverSite, START_MS } from '../test/integration/cluster/support/failover-site';
import { vrrpLabUnavailable } from '../test/integration/cluster/support/vrrp-lab';
import { percentile, printTable } from './measure';

const ROUNDS = 3;
const POLL_MS = 50;
const GIVE_UP_MS = 60_000;
/** How long the old master is watched once it is back. */
const WATCH_RETURN_MS = 8_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Round {
  readonly servingMs: number;
  readonly addressMs: number;
  readonly reattachedMs: number[];
  readonly withoutMasterMs: number[];
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

async function round(): Promise<Round> {
  const cleanups: Cleanups = [];
  try {
    const site = await FailoverSite.start(cleanups);
    const [a, b] = [site.node(0), site.node(1)];
    const killedAt = performance.now();
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
    await a.exited();
    const back = site.startNode(0);
    await back.logged('edge agent running', START_MS);
    let flaps = 0;
    const watchUntil = performance.now() + WATCH_RETURN_MS;
    while (performance.now() < watchUntil) {
      if (site.lab.holders().join() !== 'gw2' || back.messages.includes('serving as master')) flaps += 1;
      await sleep(POLL_MS * 4);
    }
    return { ...result, flaps };
  } finally {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }
}

export async function benchFailover(): Promise<void> {
  const unavailable = vrrpLabUnavailable();
  if (unavailable !== undefined) {
    console.log(`\nfailover: skipped (${unavailable})`);
    return;
  }
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i += 1) rounds.push(await round());
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
    `failover after SIGKILL of the master (${ROUNDS} rounds, ${rounds[0]?.reattachedMs.length} chargers; seconds from the kill)`,
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
    ],
  );
  console.log(
    `old master started again: the address or the master moved back ${rounds.reduce((n, r) => n + r.flaps, 0)} times in ${ROUNDS} rounds of ${WATCH_RETURN_MS / 1000} s`,
  );
}
