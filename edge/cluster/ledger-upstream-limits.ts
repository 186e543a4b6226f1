/**
 * The CSMS's own limits in the ledger (docs/cluster.md, "In front of an operator's CSMS"): each charger's kept
 * SetChargingProfile requests (CsmsLimits) under `upstream-limits/<charger>/<n>`, n the request's place in the
 * charger's list. On the master every change of a charger's list is written whole, in one etcd transaction
 * conditional on the term (its puts and the deletes of the keys past its new length: all or none), before the CSMS
 * hears Accepted. A write etcd refuses fences the node (LeaderLedger). A new master reads them at its election and
 * replaces its own with them; the site's first master (no `upstream-limits-kept` yet) copies its own there instead.
 */
import { AppError } from '../../shared/errors';
import { jsonOrUndefined } from '../store/stored-json';
import type { CsmsProfileReplica } from '../upstream/csms-limits';
import { LEDGER_OPS_PER_WRITE, type LeaderLedger } from './leader-ledger';
import type { LeaderTerm, LeadershipListener } from './leadership';
import {
  keyParts,
  LIMITS_FOLDER,
  LIMITS_KEPT_KEY,
  LIMITS_RANGE,
  limitsKey,
  MAX_LEDGER_LIMIT_KEYS,
} from './ledger-upstream-keys';

export interface UpstreamLimitsLog {
  error(data: object, message: string): void;
}

export class UpstreamLimitsLedger implements CsmsProfileReplica, LeadershipListener {
  /** The term the copy follows, from the ledger's read at the election to the fence. */
  private term: LeaderTerm | undefined;
  /** Per charger, how many keys the ledger may hold (its list's length as last written, or more after a failure). */
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly ledger: Pick<LeaderLedger, 'putAll'>,
    private readonly log: UpstreamLimitsLog,
  ) {}

  /** Elected, after the ledger's read and before the node serves: `held` is what the ledger holds per charger. */
  begin(term: LeaderTerm, held: ReadonlyMap<string, number>): void {
    this.fenced();
    this.term = term;
    for (const [chargerId, count] of held) this.count(chargerId, count);
  }

  elected(): void {
    // The copy starts with `begin`, at the ledger's read before the node serves.
  }

  fenced(): void {
    this.term = undefined;
    this.held.clear();
    this.total = 0;
  }

  /** The charger's requests, whole, in this node's term; a charger's writes come one after the other (CsmsLimits). */
  async write(chargerId: string, requests: readonly unknown[]): Promise<void> {
    const term = this.term;
    if (term === undefined) throw new AppError('resource.conflict', 'this node does not lead the cluster');
    const held = this.held.get(chargerId) ?? 0;
    if (this.total - held + requests.length > MAX_LEDGER_LIMIT_KEYS)
      throw new AppError('state.invalid', `the ledger holds at most ${MAX_LEDGER_LIMIT_KEYS} CSMS profiles`);
    if (Math.max(held, requests.length) > LEDGER_OPS_PER_WRITE)
      throw new AppError('state.invalid', `a charger's CSMS profiles take at most ${LEDGER_OPS_PER_WRITE} keys`);
    const puts = requests.map((request, n) => ({ key: limitsKey(chargerId, n), value: JSON.stringify(request) }));
    const deletes = Array.from({ length: Math.max(0, held - requests.length) }, (_, i) =>
      limitsKey(chargerId, requests.length + i),
    );
    try {
      await this.ledger.putAll(puts, deletes);
    } catch (error) {
      this.log.error({ err: error, chargerId }, 'CSMS limits not written to the ledger');
      // Written or not (an answer lost in a timeout): the next write deletes the keys either may have left.
      if (this.term === term) this.count(chargerId, Math.max(held, requests.length));
      throw error;
    }
    if (this.term === term) this.count(chargerId, requests.length);
  }

  private count(chargerId: string, count: number): void {
    this.total += count - (this.held.get(chargerId) ?? 0);
    this.held.set(chargerId, count);
  }
}

/** The CSMS's limits on this node (CsmsLimits), as a new master replaces them. */
export interface CsmsLimitsHolder {
  requests(): ReadonlyMap<string, readonly unknown[]>;
  /** Replaces every charger's requests with `all`; how many it dropped (a TxProfile whose transaction is not running). */
  adopt(all: ReadonlyMap<string, readonly unknown[]>): number;
}

export interface UpstreamLimitsTakeover {
  readonly chargers: number;
  readonly profiles: number;
  /** Taken from the ledger but not kept: a TxProfile of a transaction that does not run here. */
  readonly dropped: number;
  /** Records left out: not one a node wrote. */
  readonly refused: number;
  /** The site's first master: its own limits went to the ledger, and the counts are its. */
  readonly copiedOwn: boolean;
}

/**
 * Elected, after the transactions' adoption (a TxProfile needs its transaction) and before the node serves and opens
 * its links to the CSMS: the ledger's limits replace this node's, and `replica` follows them from there.
 */
export async function takeLimitsFromLedger(
  ledger: Pick<LeaderLedger, 'first' | 'get' | 'putAll'>,
  term: LeaderTerm,
  holder: CsmsLimitsHolder,
  replica: Pick<UpstreamLimitsLedger, 'begin' | 'write'>,
  log: UpstreamLimitsLog,
): Promise<UpstreamLimitsTakeover> {
  if ((await ledger.get(LIMITS_KEPT_KEY)) === undefined) return copyOwnLimits(ledger, term, holder, replica);
  const { entries, more } = await ledger.first(LIMITS_FOLDER, MAX_LEDGER_LIMIT_KEYS);
  if (more)
    throw new AppError('state.invalid', `the ledger holds more than ${MAX_LEDGER_LIMIT_KEYS} upstream-limits records`);
  const byCharger = new Map<string, unknown[]>();
  const held = new Map<string, number>();
  let refused = 0;
  for (const { key, value } of entries) {
    const parts = keyParts(key, LIMITS_FOLDER, 2);
    const request = jsonOrUndefined(value);
    const n = Number(parts?.[1]);
    const chargerId = parts?.[0];
    if (chargerId === undefined || !Number.isInteger(n)) {
      refused += 1;
      log.error({ key }, 'ledger upstream record left out');
      continue;
    }
    // Past its list's length a key is stale: it counts, so the next write deletes it.
    held.set(chargerId, Math.max(held.get(chargerId) ?? 0, n + 1));
    if (request === undefined) {
      refused += 1;
      log.error({ key }, 'ledger upstream record left out');
    } else byCharger.set(chargerId, [...(byCharger.get(chargerId) ?? []), request]);
  }
  const dropped = holder.adopt(byCharger);
  replica.begin(term, held);
  const profiles = [...byCharger.values()].reduce((sum, requests) => sum + requests.length, 0);
  return { chargers: byCharger.size, profiles, dropped, refused, copiedOwn: false };
}

/**
 * The site's first master copies its own limits (a single agent that becomes a cluster node keeps what the CSMS set):
 * whatever an earlier first master left half-copied goes first, the marker last, each write conditional on the term.
 */
async function copyOwnLimits(
  ledger: Pick<LeaderLedger, 'putAll'>,
  term: LeaderTerm,
  holder: CsmsLimitsHolder,
  replica: Pick<UpstreamLimitsLedger, 'begin' | 'write'>,
): Promise<UpstreamLimitsTakeover> {
  replica.begin(term, new Map());
  await ledger.putAll([], [LIMITS_RANGE]);
  const own = holder.requests();
  let profiles = 0;
  for (const [chargerId, requests] of own) {
    if (requests.length === 0) continue;
    await replica.write(chargerId, requests);
    profiles += requests.length;
  }
  await ledger.putAll([{ key: LIMITS_KEPT_KEY, value: term.term }]);
  return { chargers: own.size, profiles, dropped: 0, refused: 0, copiedOwn: true };
}
