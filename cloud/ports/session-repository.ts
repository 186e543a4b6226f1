/** Port: charging sessions of a site. */
import type { ConnectorRef } from '../../shared/site/connector-ref';

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
  /**
   * Writes a session only forward, atomically (idempotent by site, start time and id): a stop always replaces the
   * row; an open session replaces it only while the stored row is open with no more energy. Deliveries may come out
   * of order (concurrent ingests, a redelivered batch), and a late start must not reopen a stopped session.
   * `superseded`: the stored row was already later, nothing written.
   */
  put(session: SessionRecord): Promise<'written' | 'superseded'>;
  /** Sessions started within [from, to), newest first. */
  list(tenantId: string, siteId: string, query: TimeRangeQuery): Promise<TimePage<SessionRecord>>;
}
