/** Port: charging sessions of a site. */
import type { ConnectorRef } from '../../shared/policy/policy-schema';

export interface SessionRecord {
  readonly tenantId: string;
  readonly siteId: string;
  readonly sessionId: string;
  readonly connector: ConnectorRef;
  readonly idTag?: string;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly stoppedAt?: number;
  readonly energyWh: number;
}

/** A time-ordered page; `cursor` is opaque to callers and only valid for the same site. */
export interface TimePage<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

export interface TimeRangeQuery {
  readonly from: number;
  readonly to: number;
  readonly limit: number;
  /** Continue after the item this cursor names (from a previous page). */
  readonly cursor?: string;
}

export interface SessionRepository {
  /** Creates or replaces a session (idempotent by site, start time and id). */
  put(session: SessionRecord): Promise<void>;
  /** Sessions started within [from, to), newest first. */
  list(tenantId: string, siteId: string, query: TimeRangeQuery): Promise<TimePage<SessionRecord>>;
}
