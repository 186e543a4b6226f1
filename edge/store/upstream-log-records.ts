/** The forward log's records as its readers see them (upstream-forward-log.ts, docs/csms.md). */

export const QUEUED_ACTIONS = ['StartTransaction', 'StopTransaction', 'MeterValues'] as const;
export type QueuedAction = (typeof QUEUED_ACTIONS)[number];

/** The first provisional id; later ones count down. */
export const FIRST_PROVISIONAL_ID = -2;
/** The lowest provisional id (OCPP's integer is 32 bits on most chargers). */
export const LOWEST_PROVISIONAL_ID = -(2 ** 31);

export interface QueuedMessage {
  readonly seq: number;
  readonly action: QueuedAction;
  /** The charger's payload as it came (transaction ids in the charger's terms). */
  readonly payload: Record<string, unknown>;
  readonly queuedAt: number;
}

/** What became of a StartTransaction put in the log. */
export interface QueuedStart {
  readonly seq: number;
  readonly provisionalId: number;
  /** The CSMS's id, once it answered. */
  readonly realId: number | undefined;
  /** Which id the charger was answered with; undefined until it was. */
  readonly chargerKnows: 'real' | 'provisional' | undefined;
  /** False when the same StartTransaction was in the log already (the charger retried it): nothing was added. */
  readonly added: boolean;
}

/** A provisional id the charger knows, and the CSMS's id for it once it gave one. */
export interface ProvisionalMapping {
  readonly provisionalId: number;
  readonly realId: number | undefined;
}
