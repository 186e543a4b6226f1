/**
 * Elected, before it serves and opens its links to the CSMS: the new master takes the forward log from the ledger
 * (docs/cluster.md, "In front of an operator's CSMS"). It reads every `upstream-` key (at most
 * `MAX_LEDGER_UPSTREAM_KEYS`, else it refuses to act on part of them and steps down), puts the entries in each
 * charger's order, the mappings, the delivered records and the provisional counter into its database in their place
 * (SqliteUpstreamLogAdoption), and the replica follows the log from there. A record that is not one a node wrote is
 * left out, and logged. A ledger that holds none of the site's records gets this node's own log instead
 * (upstream-first-election.ts).
 */
import { AppError } from '../../shared/errors';
import { jsonOrUndefined } from '../store/stored-json';
import type {
  AdoptedUpstreamLog,
  OwnUpstreamLog,
  UpstreamDelivered,
  UpstreamMapping,
} from '../store/upstream-log-changes';
import type { LeaderLedger, LedgerRecord } from './leader-ledger';
import type { LeaderTerm } from './leadership';
import {
  COUNTER_KEY,
  DELIVERED_FOLDER,
  DeliveredSchema,
  digestOfHex,
  EntrySchema,
  IDS_FOLDER,
  keyParts,
  LEDGER_DELIVERED_PER_CHARGER,
  LOG_FOLDER,
  MappingSchema,
  MAX_LEDGER_UPSTREAM_KEYS,
} from './ledger-upstream-keys';
import type { UpstreamLedgerReplica } from './ledger-upstream-replica';
import { copyOwnUpstreamLog } from './upstream-first-election';

/** The node's database as the takeover writes it (SqliteUpstreamLogAdoption). */
export interface ReplicatedUpstreamLog {
  adopt(adopted: AdoptedUpstreamLog): number[];
  /** The node's own queued log, each charger's latest `deliveredPerCharger` records with it. */
  own(deliveredPerCharger: number): OwnUpstreamLog;
}

export interface UpstreamTakeoverLog {
  error(data: object, message: string): void;
}

export interface UpstreamTakeover {
  readonly entries: number;
  readonly mappings: number;
  readonly delivered: number;
  /** Records left out: not a record a node wrote. */
  readonly refused: number;
  /** The ledger held none of the site's records: this node's own log went there, and the counts are its. */
  readonly copiedOwnLog: boolean;
}

export async function takeUpstreamFromLedger(
  ledger: Pick<LeaderLedger, 'first' | 'get' | 'putAll'>,
  term: LeaderTerm,
  local: ReplicatedUpstreamLog,
  replica: Pick<UpstreamLedgerReplica, 'begin' | 'write'>,
  log: UpstreamTakeoverLog,
): Promise<UpstreamTakeover> {
  let budget = MAX_LEDGER_UPSTREAM_KEYS;
  const read = async (folder: string): Promise<LedgerRecord[]> => {
    const { entries, more } = await ledger.first(folder, budget);
    if (more)
      throw new AppError('state.invalid', `the ledger holds more than ${MAX_LEDGER_UPSTREAM_KEYS} upstream- records`);
    budget -= entries.length;
    return entries;
  };
  let refused = 0;
  const refuse = (key: string, why: string) => {
    refused += 1;
    log.error({ key, why }, 'ledger upstream record left out');
  };

  const entries: (AdoptedUpstreamLog['entries'][number] & { key: string })[] = [];
  for (const { key, value } of await read(LOG_FOLDER)) {
    const parts = keyParts(key, LOG_FOLDER, 3);
    const entry = EntrySchema.safeParse(jsonOrUndefined(value));
    if (parts === undefined || !entry.success) refuse(key, 'not a forward log entry');
    else entries.push({ key, chargerId: parts[0] as string, ...entry.data });
  }
  const mappings: UpstreamMapping[] = [];
  for (const { key, value } of await read(IDS_FOLDER)) {
    const parts = keyParts(key, IDS_FOLDER, 2);
    const provisionalId = Number(parts?.[1]);
    const mapping = MappingSchema.safeParse(jsonOrUndefined(value));
    if (parts === undefined || !Number.isInteger(provisionalId) || provisionalId >= 0 || !mapping.success)
      refuse(key, 'not a provisional id mapping');
    else
      mappings.push({
        chargerId: parts[0] as string,
        provisionalId,
        startPayload: mapping.data.startPayload,
        realId: mapping.data.realId,
        chargerKnows: mapping.data.chargerKnows,
      });
  }
  const delivered: (UpstreamDelivered & { key: string; order: [bigint, number] })[] = [];
  for (const { key, value } of await read(DELIVERED_FOLDER)) {
    const parts = keyParts(key, DELIVERED_FOLDER, 2);
    const record = DeliveredSchema.safeParse(jsonOrUndefined(value));
    if (parts === undefined || !record.success || !/^\d+$/.test(record.data.term))
      refuse(key, 'not a delivered record');
    else
      delivered.push({
        key,
        chargerId: parts[0] as string,
        action: record.data.action,
        digest: digestOfHex(parts[1] as string),
        answer: record.data.answer,
        order: [BigInt(record.data.term), record.data.n],
      });
  }
  delivered.sort((x, y) => (x.order[0] === y.order[0] ? x.order[1] - y.order[1] : x.order[0] < y.order[0] ? -1 : 1));
  const counter = await ledger.get(COUNTER_KEY);
  if (entries.length + mappings.length + delivered.length + refused === 0 && counter === undefined)
    return {
      ...(await copyOwnUpstreamLog(ledger, term, local.own(LEDGER_DELIVERED_PER_CHARGER), replica)),
      refused,
      copiedOwnLog: true,
    };
  const counted = counter === undefined ? undefined : Number(counter.value);
  const lowestProvisionalId = [counted, ...mappings.map((m) => m.provisionalId)]
    .filter((id): id is number => id !== undefined && Number.isInteger(id))
    .reduce<number | undefined>((low, id) => (low === undefined || id < low ? id : low), undefined);

  const seqs = local.adopt({ entries, mappings, delivered, lowestProvisionalId });
  const byCharger = new Map<string, string[]>();
  for (const { chargerId, key } of delivered) byCharger.set(chargerId, [...(byCharger.get(chargerId) ?? []), key]);
  replica.begin(term, {
    entries: entries.map(({ key, chargerId, action }, i) => ({ seq: seqs[i] as number, key, chargerId, action })),
    delivered: byCharger,
    lowestProvisionalId,
  });
  return {
    entries: entries.length,
    mappings: mappings.length,
    delivered: delivered.length,
    refused,
    copiedOwnLog: false,
  };
}
