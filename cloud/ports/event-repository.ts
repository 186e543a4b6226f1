/** Port: site events (charger faults, meter loss, policy rejections, connectivity changes). */
import type { SaidParams } from '../../shared/server-messages';
import type { TimePage, TimeRangeQuery } from './session-repository';

export type EventSeverity = 'info' | 'warning' | 'error';

export interface SiteEvent {
  readonly tenantId: string;
  readonly siteId: string;
  readonly eventId: string;
  /** Epoch ms. */
  readonly at: number;
  /** Namespaced kind, e.g. `charger.faulted`, `meter.lost`. */
  readonly type: string;
  readonly severity: EventSeverity;
  /** English, as the agent wrote it (for an older console, and an older agent's only text). */
  readonly message: string;
  /** What `message` says by a stable reason (shared/server-messages.ts) and its parameters; absent from older agents. */
  readonly reason?: string;
  readonly params?: SaidParams;
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface EventRepository {
  /** Stores events idempotently (same site, time and id overwrite); they expire after the retention period. */
  put(events: readonly SiteEvent[]): Promise<void>;
  /** Events within [from, to), newest first. */
  list(tenantId: string, siteId: string, query: TimeRangeQuery): Promise<TimePage<SiteEvent>>;
}
