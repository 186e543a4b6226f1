/**
 * What the dashboard learns while the agent runs: it listens to the control loop and to the chargers, keeps the load
 * history, the event list and per-charger facts, and tells the dashboard server what changed (for live updates).
 * Built before the control loop (which reports to it); never throws into it.
 */
import type { Allocation } from '../../../shared/allocation/allocation-types';
import type { ControlEvent } from '../../control/control-events';
import type { ControlObserver } from '../../control/control-ports';
import type { ChargerEventListener } from '../../ocpp/central-system-ports';
import type { ChargerEvent } from '../../ocpp/charger-events';
import type { CsmsLinkPoint, EventEntry, LoadSample } from '../../../shared/dashboard/api-answers';
import { ChargerActivity } from './charger-activity';
import { controlEventLine } from './control-event-lines';
import type { DashboardFeed, FeedChange, SiteReader } from '../dashboard-ports';
import { EventLog } from './event-log';
import { LoadHistory } from './load-history';
import { CsmsLinkHistory } from './csms-link-history';
import type { CsmsLinkHealth } from '../../../shared/sync/sync-messages';
import { loadSample } from './load-sample';

export class SiteFeed implements ControlObserver, ChargerEventListener, DashboardFeed {
  readonly activity = new ChargerActivity();
  readonly events = new EventLog();
  readonly history: LoadHistory;
  /** Behind an operator's CSMS: the link's history, sampled with the load. */
  readonly csmsHistory: CsmsLinkHistory | undefined;
  private readonly listeners = new Set<(change: FeedChange) => void>();

  constructor(
    private readonly reader: SiteReader,
    private readonly options: {
      readonly sampleEveryMs?: number;
      /** The site's CSMS link health now; given only to an agent with an `upstream` section. */
      readonly csmsHealth?: () => CsmsLinkHealth | undefined;
    } = {},
  ) {
    this.history = new LoadHistory(options.sampleEveryMs);
    this.csmsHistory = options.csmsHealth && new CsmsLinkHistory(options.sampleEveryMs);
  }

  /** Returns the function that removes the listener. */
  onChange(listener: (change: FeedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onControlEvent(event: ControlEvent): void {
    if (event.type === 'allocation') {
      const sample = this.sampleOf(event.allocation);
      if (this.history.record(sample)) {
        const csmsLink = this.recordCsmsLink(sample.at);
        this.emit({ kind: 'sample', sample, ...(csmsLink && { csmsLink }) });
      }
      this.emit({ kind: 'allocation' });
      return;
    }
    this.addEvent(controlEventLine(event));
  }

  onEvent(event: ChargerEvent): void {
    this.addEvent(this.activity.record(event));
    if (event.type !== 'heartbeat' && event.type !== 'meterValues') this.emit({ kind: 'charger', event });
  }

  /** A line from the dashboard itself (e.g. a charger password changed). */
  addEvent(entry: EventEntry | undefined): void {
    if (entry === undefined) return;
    this.events.add(entry);
    this.emit({ kind: 'event', entry });
  }

  /** The CSMS link's point at `at`, kept in its history; a failure to read it costs the chart a point, not the loop. */
  private recordCsmsLink(at: number): CsmsLinkPoint | undefined {
    try {
      const health = this.csmsHistory && this.options.csmsHealth?.();
      return health && this.csmsHistory?.record(at, health);
    } catch {
      return undefined;
    }
  }

  private sampleOf(allocation: Allocation): LoadSample {
    const { site } = this.reader;
    const root = site.circuits.find((c) => c.parent === null);
    const rootLoad = allocation.circuits.find((c) => c.id === root?.id);
    const meterId = root?.meterId;
    const healthy =
      meterId !== undefined && rootLoad?.meter !== 'lost' && this.reader.meterFault(meterId) === undefined;
    const reading = healthy ? this.reader.lastValidReading(meterId) : undefined;
    return loadSample(allocation, site, reading?.amps);
  }

  private emit(change: FeedChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A broken listener (a dashboard connection going away) must not reach the control loop.
      }
    }
  }
}
