/**
 * Upstream losses, recoveries, thinned meter values and forward-log writes the disk refused as the agent's log lines,
 * the dashboard's event lines and the fleet's events (the outbox holds an event in memory while the disk is full and
 * stores it once it takes writes again). They are summed over a window, one line and one event per kind and window: when the CSMS goes
 * away, 500 links are lost within a second, and that is one event ("lost for 500 chargers"), not 500.
 */
import type { EventEntry } from '../../shared/dashboard/api-answers';
import type { MessageParam } from '../../shared/server-messages';
import { eventSaid } from '../../shared/sync/event-reasons';
import type { EventBody } from '../../shared/sync/sync-messages';
import { eventLine } from '../dashboard/live/event-line';
import type { Clock } from '../platform/clock';
import type { UpstreamLinkChange } from './upstream-link-states';

/** The window over which link changes are summed: one summary per kind per window at most. */
export const LINK_REPORT_WINDOW_MS = 5_000;
/** Charger ids named in one message; the rest are counted. */
const NAMED_CHARGERS = 10;

export interface UpstreamReportSinks {
  readonly log: { warn(data: object, message: string): void; info(data: object, message: string): void };
  /** The dashboard's event list. */
  addEvent(entry: EventEntry): void;
  /** The cloud's events (the outbox), when the agent has a cloud link. */
  readonly outbox?: { enqueue(stream: 'events', body: EventBody, at?: number): { readonly ok: boolean } } | undefined;
  /** What waits for the CSMS now (at a loss or a return), for the event's message. */
  backlogMessages(chargerId: string): number;
}

type Kind = 'lost' | 'recovered' | 'thinned' | 'unwritten';
const KINDS: readonly Kind[] = ['lost', 'recovered', 'thinned', 'unwritten'];

/** How grave each kind is on the dashboard and for the fleet: a log the disk refuses loses the chargers' messages. */
const SEVERITY = {
  lost: { line: 'warning', cloud: 'warning' },
  recovered: { line: 'info', cloud: 'info' },
  thinned: { line: 'warning', cloud: 'warning' },
  unwritten: { line: 'error', cloud: 'critical' },
} as const satisfies Record<Kind, { line: EventEntry['severity']; cloud: EventBody['severity'] }>;

/** The source of the CSMS link's event lines (the dashboard's upstream page refreshes on them). */
export const UPSTREAM_SOURCE = { reason: 'event.upstream.source' } as const;

export class UpstreamLinkReport {
  /** Per kind, the chargers of the window (with a count: meter values thinned, or changes). */
  private readonly pending = new Map<Kind, Map<string, number>>();
  /** Per kind, each charger's backlog when its link was lost or came back. */
  private readonly backlogs = new Map<Kind, Map<string, number>>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly sinks: UpstreamReportSinks,
    private readonly clock: Clock,
    private readonly windowMs = LINK_REPORT_WINDOW_MS,
  ) {}

  onLinkChange(change: UpstreamLinkChange): void {
    const backlogs = this.backlogs.get(change.change) ?? new Map<string, number>();
    backlogs.set(change.chargerId, this.sinks.backlogMessages(change.chargerId));
    this.backlogs.set(change.change, backlogs);
    this.add(change.change, change.chargerId);
  }

  /** The backlog's bound dropped one of the charger's meter values. */
  onThinned(chargerId: string): void {
    this.add('thinned', chargerId);
  }

  /**
   * The forward log refused a write for the charger (a full or failing disk): the charger's message got a CALLERROR,
   * or the drain waits for the disk.
   */
  onUnwritten(chargerId: string): void {
    this.add('unwritten', chargerId);
  }

  /** Reports what the window holds now (at shutdown). */
  flush(): void {
    this.cancel?.();
    this.cancel = undefined;
    const at = this.clock.now();
    for (const kind of KINDS) {
      const chargers = this.pending.get(kind);
      if (chargers !== undefined && chargers.size > 0) this.report(kind, chargers, at);
    }
    this.pending.clear();
    this.backlogs.clear();
  }

  private add(kind: Kind, chargerId: string): void {
    const chargers = this.pending.get(kind) ?? new Map<string, number>();
    chargers.set(chargerId, (chargers.get(chargerId) ?? 0) + 1);
    this.pending.set(kind, chargers);
    this.cancel ??= this.clock.after(this.windowMs, () => {
      this.cancel = undefined;
      this.flush();
    });
  }

  private report(kind: Kind, chargers: Map<string, number>, at: number): void {
    const ids = [...chargers.keys()].sort();
    // Cut to a parameter's bound: ten ids of 48 characters and the ellipsis come one over it.
    const named = (ids.slice(0, NAMED_CHARGERS).join(', ') + (ids.length > NAMED_CHARGERS ? ', …' : '')).slice(0, 500);
    const who: MessageParam =
      ids.length === 1
        ? { ref: 'event.upstream.oneCharger', params: { named } }
        : { ref: 'event.upstream.chargers', params: { count: ids.length, named } };
    const total = [...chargers.values()].reduce((a, b) => a + b, 0);
    const backlog = [...(this.backlogs.get(kind)?.values() ?? [])].reduce((a, b) => a + b, 0);
    // Said with a reason, so the dashboard shows the line in its reader's language (shared/event-messages.ts).
    const line = eventLine(at, SEVERITY[kind].line, UPSTREAM_SOURCE, {
      reason: `event.upstream.${kind}`,
      params: { who, total, backlog },
    });
    const said = eventSaid(`upstream.${kind}`, `event.upstream.${kind}`, { who, total, backlog });
    const { message } = said;
    const severity = SEVERITY[kind];
    const details = {
      chargers: ids.length,
      chargerIds: ids.join(',').slice(0, 500),
      ...(kind === 'thinned'
        ? { meterValues: total }
        : kind === 'unwritten'
          ? { writesRefused: total }
          : { backlogMessages: backlog }),
    };
    if (severity.line === 'info') this.sinks.log.info({ upstream: { kind, ...details } }, message);
    else this.sinks.log.warn({ upstream: { kind, ...details } }, message);
    this.sinks.addEvent({ ...line, message });
    const body: EventBody = {
      ...said,
      severity: severity.cloud,
      ...(ids.length === 1 && ids[0] !== undefined && { chargerId: ids[0] }),
      details,
    };
    try {
      if (this.sinks.outbox?.enqueue('events', body, at).ok === false)
        this.sinks.log.warn({ kind: body.kind }, 'upstream event not queued for the cloud');
    } catch (error) {
      // A full disk must not stop the links: the event is lost, the log line says so.
      this.sinks.log.warn({ err: error, kind: body.kind }, 'upstream event not queued for the cloud');
    }
  }
}
