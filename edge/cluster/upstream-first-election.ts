/**
 * A node elected on a site whose ledger holds none of the site's `upstream-` records copies its own queued log into the
 * ledger in place of taking the empty one (docs/cluster.md, "In front of an operator's CSMS"): a single agent that
 * becomes a cluster node, or the first node of a new cluster, keeps the messages it answered chargers about while the
 * CSMS was away. Nobody else can have written them: every master writes its log there before answering. The copy goes
 * through the replica, conditional on the term and bounded as the master's own writes (a charger's readings past the
 * ledger's 20 stay on this node's disk, its latest delivered records only), then the replica follows the log.
 */
import { AppError } from '../../shared/errors';
import type { OwnUpstreamLog, UpstreamLogChange } from '../store/upstream-log-changes';
import type { LeaderLedger } from './leader-ledger';
import type { LeaderTerm } from './leadership';
import { COUNTER_KEY, MAX_LEDGER_METER_VALUES_PER_CHARGER, MAX_LEDGER_UPSTREAM_KEYS } from './ledger-upstream-keys';
import type { UpstreamLedgerReplica } from './ledger-upstream-replica';

export interface CopiedUpstreamLog {
  readonly entries: number;
  readonly mappings: number;
  readonly delivered: number;
}

/** The keys `own` takes in the ledger: every start and stop, a charger's first readings, its mappings and records. */
function ledgerKeys(own: OwnUpstreamLog): number {
  const readings = new Map<string, number>();
  for (const { chargerId, action } of own.entries)
    if (action === 'MeterValues') readings.set(chargerId, (readings.get(chargerId) ?? 0) + 1);
  const keptReadings = [...readings.values()].reduce(
    (sum, n) => sum + Math.min(n, MAX_LEDGER_METER_VALUES_PER_CHARGER),
    0,
  );
  const others = own.entries.filter(({ action }) => action !== 'MeterValues').length;
  return others + keptReadings + own.mappings.length + own.delivered.length + 1;
}

export async function copyOwnUpstreamLog(
  ledger: Pick<LeaderLedger, 'putAll'>,
  term: LeaderTerm,
  own: OwnUpstreamLog,
  replica: Pick<UpstreamLedgerReplica, 'begin' | 'write'>,
): Promise<CopiedUpstreamLog> {
  // A new master reads at most this many; a copy it could not read would be refused at the next takeover.
  if (ledgerKeys(own) > MAX_LEDGER_UPSTREAM_KEYS)
    throw new AppError(
      'state.invalid',
      `this node's forward log needs more than ${MAX_LEDGER_UPSTREAM_KEYS} upstream- records`,
    );
  replica.begin(term, { entries: [], delivered: new Map(), lowestProvisionalId: own.lowestProvisionalId });
  // The counter first: a start it did not lower (its mapping delivered and dropped) still took an id below it.
  if (own.lowestProvisionalId !== undefined)
    await ledger.putAll([{ key: COUNTER_KEY, value: String(own.lowestProvisionalId) }], []);
  const changes: UpstreamLogChange[] = [
    ...own.entries.map((entry) => ({ kind: 'queued' as const, ...entry })),
    ...own.mappings.map((mapping) => ({ kind: 'mapping' as const, ...mapping })),
    ...own.delivered.map((record) => ({ kind: 'remembered' as const, ...record })),
  ];
  await replica.write(changes);
  return { entries: own.entries.length, mappings: own.mappings.length, delivered: own.delivered.length };
}
