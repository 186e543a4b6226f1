/**
 * The forward log to the operator's CSMS in the ledger (docs/cluster.md, "In front of an operator's CSMS"): its keys,
 * its records and its bounds. A key per queued message (`upstream-log/<charger>/<term>/<seq>`, the digits padded so
 * that the keys sort per charger in the order the charger sent the messages), per provisional id's mapping
 * (`upstream-ids/<charger>/<provisional id>`), per message the CSMS acknowledged lately
 * (`upstream-delivered/<charger>/<digest, hex>`), and the lowest provisional id handed out
 * (`upstream-provisional-counter`); the CSMS's own limits (`upstream-limits/<charger>/<n>`, ledger-upstream-limits.ts).
 */
import { z } from 'zod';
import { QUEUED_ACTIONS } from '../store/upstream-log-records';

export const LOG_FOLDER = 'upstream-log';
export const IDS_FOLDER = 'upstream-ids';
export const DELIVERED_FOLDER = 'upstream-delivered';
export const COUNTER_KEY = 'upstream-provisional-counter';
export const LIMITS_FOLDER = 'upstream-limits';
/** Written by a site's first master once it copied its own limits, never deleted: later masters take the ledger's. */
export const LIMITS_KEPT_KEY = 'upstream-limits-kept';
/**
 * Every key under `upstream-limits/` and none other (charger ids are plain characters, none below `-`); not the
 * folder's own name, whose range would hold `upstream-limits-kept` too.
 */
export const LIMITS_RANGE = { from: `${LIMITS_FOLDER}/-`, to: `${LIMITS_FOLDER}0` };

/** Queued MeterValues per charger the ledger holds; beyond, a reading is on the master's disk only. */
export const MAX_LEDGER_METER_VALUES_PER_CHARGER = 20;
/**
 * Acknowledged messages per charger the ledger remembers: a charger sends again only the few it had no answer for
 * (one call in flight at a time), and 1,000 chargers' must fit a new master's read beside their logs.
 */
export const LEDGER_DELIVERED_PER_CHARGER = 10;
/** `upstream-` keys a new master reads at most (1,000 chargers with 20 readings, a start, a stop, a mapping and 10 records). */
export const MAX_LEDGER_UPSTREAM_KEYS = 40_000;
/**
 * The CSMS's profiles the ledger holds at most (1,000 chargers with a TxDefaultProfile and a TxProfile per connector,
 * and room); beyond, a master answers the CSMS Rejected rather than keep one the next master would not read.
 */
export const MAX_LEDGER_LIMIT_KEYS = 10_000;

export const EntrySchema = z
  .object({
    action: z.enum(QUEUED_ACTIONS),
    payload: z.string(),
    queuedAt: z.number(),
  })
  .strict();
export const MappingSchema = z
  .object({
    startPayload: z.string(),
    realId: z.number().int().optional(),
    chargerKnows: z.enum(['real', 'provisional']).optional(),
  })
  .strict();
/** `term` and `n` order a charger's records (the oldest go first when over the bound). */
export const DeliveredSchema = z
  .object({ action: z.string(), answer: z.string(), term: z.string(), n: z.number().int() })
  .strict();

const TERM_DIGITS = 20;
const SEQ_DIGITS = 12;
const LIMIT_PLACE_DIGITS = 3;

export const logKey = (chargerId: string, term: string, seq: number): string =>
  `${LOG_FOLDER}/${chargerId}/${term.padStart(TERM_DIGITS, '0')}/${String(seq).padStart(SEQ_DIGITS, '0')}`;

/** A charger's profile at its place in the charger's list (padded: the keys sort in the list's order). */
export const limitsKey = (chargerId: string, n: number): string =>
  `${LIMITS_FOLDER}/${chargerId}/${String(n).padStart(LIMIT_PLACE_DIGITS, '0')}`;

export const idsKey = (chargerId: string, provisionalId: number): string =>
  `${IDS_FOLDER}/${chargerId}/${provisionalId}`;

/** The digest in a key: base64 has `/` and `+`, which a key may not hold. */
export const deliveredKey = (chargerId: string, digest: string): string =>
  `${DELIVERED_FOLDER}/${chargerId}/${Buffer.from(digest, 'base64').toString('hex')}`;

/** A key's parts after its folder: `[charger, ...rest]`; undefined when it has not `parts` of them. */
export function keyParts(key: string, folder: string, parts: number): string[] | undefined {
  const rest = key.slice(folder.length + 1).split('/');
  return key.startsWith(`${folder}/`) && rest.length === parts ? rest : undefined;
}

/** The base64 digest of a delivered key's hex one. */
export const digestOfHex = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
