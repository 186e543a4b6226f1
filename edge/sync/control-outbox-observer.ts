/**
 * The control loop's events as cloud messages: session starts and ends, faults and recoveries go to the outbox as
 * they happen; allocations become one telemetry sample per interval, with the energy so far of every charging session
 * that grew since (so the fleet does not show 0 kWh until the car leaves). A ControlObserver: synchronous, never throws.
 */
import type { Allocation } from '../../shared/allocation/allocation-types';
import type { DemandAnswer } from '../../shared/dashboard/demand-answer';
import { uncontrolledImportWatts } from '../../shared/demand/uncontrolled-demand';
import { parseConnectorRef, type ConnectorAddress } from '../../shared/site/connector-ref';
import { asParam } from '../../shared/server-messages';
import { storageCauseParam } from '../../shared/storage-causes';
import { eventSaid } from '../../shared/sync/event-reasons';
import type { Site } from '../../shared/site/site-schema';
import type { ClusterFigures } from '../../shared/sync/cluster-figures';
import type { CsmsLinkHealth, DemandMonthReport, EventBody, TelemetryBody } from '../../shared/sync/sync-messages';
import type { PhaseAmps } from '../../shared/units';
import type { ControlEvent } from '../control/control-events';
import type { ControlObserver, SessionRecord } from '../control/control-ports';
import type { OutboxProducer } from './outbox';
import type { SyncLog } from './sync-ports';
import { UncontrolledPeak } from './uncontrolled-peak';

export interface ControlOutboxObserverOptions {
  /** The site in force now (a version saved on the dashboard replaces it while the agent runs). */
  readonly site: () => Site;
  readonly telemetryIntervalMs: number;
  /** The sessions charging now, with their energy so far (from the chargers' meter values). */
  readonly openSessions: () => readonly SessionRecord[];
  readonly log: SyncLog;
  /** In front of an operator's CSMS: the site's link health, sent with each sample. */
  readonly csmsHealth?: () => CsmsLinkHealth | undefined;
  /** Peak-demand control's count (the dashboard's view): the month's peaks go with each sample while it is on. */
  readonly demandStatus?: () => DemandAnswer;
  /** On a node of a cluster: its role, term and health, sent with each sample (cluster-figures-reader.ts). */
  readonly clusterFigures?: () => ClusterFigures | undefined;
  /**
   * On a node of a cluster: whether it leads now. A node that does not controls no chargers above the fail-safe and
   * holds no cloud link, and its load is not the site's: it queues no sample (the leader's samples name its peers).
   */
  readonly leads?: () => boolean;
}

export class ControlOutboxObserver implements ControlObserver {
  private lastTelemetryAt = Number.NEGATIVE_INFINITY;
  private latest: Allocation | undefined;
  /** Energy last sent per open transaction. */
  private readonly sentEnergyWh = new Map<number, number>();
  private readonly uncontrolled = new UncontrolledPeak();

  constructor(
    private readonly outbox: OutboxProducer,
    private readonly options: ControlOutboxObserverOptions,
  ) {}

  onControlEvent(event: ControlEvent): void {
    switch (event.type) {
      case 'allocation':
        this.latest = event.allocation;
        this.countUncontrolled(event.at, event.allocation);
        if (event.at - this.lastTelemetryAt >= this.options.telemetryIntervalMs) this.sendTelemetry(event.at);
        return;
      case 'sessionStarted': {
        const address = this.sessionAddress(event.ref);
        if (address === undefined) return;
        const { chargerId, connectorId } = address;
        return this.put(
          'sessions',
          {
            sessionId: String(event.transactionId),
            chargerId,
            connectorId,
            idTag: event.idTag.slice(0, 20),
            state: 'started',
            startedAt: event.startedAt,
            energyWh: 0,
          },
          event.at,
        );
      }
      case 'sessionEnded': {
        this.sentEnergyWh.delete(event.transactionId);
        const address = this.sessionAddress(event.ref);
        if (address === undefined) return;
        const { chargerId, connectorId } = address;
        return this.put(
          'sessions',
          {
            sessionId: String(event.transactionId),
            chargerId,
            connectorId,
            ...(event.idTag !== undefined && { idTag: event.idTag.slice(0, 20) }),
            state: 'stopped',
            startedAt: event.startedAt,
            stoppedAt: event.stoppedAt,
            energyWh: Math.max(0, event.energyWh),
          },
          event.at,
        );
      }
      case 'meterLost':
        return this.event(
          {
            ...eventSaid('meter.lost', 'siteEvent.meterLost', { meter: event.meterId, fault: asParam(event.reason) }),
            severity: 'critical',
            details: { meterId: event.meterId, circuitId: event.circuitId },
          },
          event.at,
        );
      case 'meterRecovered':
        return this.event(
          {
            ...eventSaid('meter.recovered', 'siteEvent.meterRecovered', { meter: event.meterId }),
            severity: 'info',
            details: { meterId: event.meterId, circuitId: event.circuitId },
          },
          event.at,
        );
      case 'chargerUnresponsive':
        return this.event(
          {
            ...eventSaid('charger.unresponsive', 'siteEvent.chargerUnresponsive', { charger: event.chargerId }),
            severity: 'warning',
            chargerId: event.chargerId,
          },
          event.at,
        );
      case 'connectorAdopted': {
        const { chargerId, connector } = eventAddress(event.ref);
        return this.event(
          {
            ...eventSaid('connector.adopted', 'siteEvent.connectorAdopted', {
              connector: event.ref.slice(0, 200),
              cause: { ref: `event.adoptionCause.${event.cause}` },
            }),
            severity: 'warning',
            ...(chargerId !== undefined && { chargerId }),
            details: { ...connector, cause: event.cause },
          },
          event.at,
        );
      }
      case 'connectorRefused': {
        const { chargerId, connector } = eventAddress(event.ref);
        const details = {
          ...connector,
          ...(event.transactionId !== undefined && { transactionId: event.transactionId }),
        };
        return this.event(
          {
            ...eventSaid('connector.refused', 'siteEvent.connectorRefused', {
              connector: event.ref.slice(0, 200),
              reason: asParam(event.reason),
            }),
            severity: 'warning',
            ...(chargerId !== undefined && { chargerId }),
            details,
          },
          event.at,
        );
      }
      case 'storagePaused':
        return this.event(
          {
            ...eventSaid('storage.full', 'event.storagePaused', { reason: storageCauseParam(event.reason) }),
            severity: 'critical',
            details: { reason: event.reason },
          },
          event.at,
        );
      case 'storageRecovered':
        return this.event(
          {
            ...eventSaid('storage.recovered', 'event.storageRecovered', { writes: event.writes }),
            severity: 'info',
            details: { pausedAt: event.pausedAt, writes: event.writes },
          },
          event.at,
        );
      case 'profileFailed':
        if (event.outcome !== 'rejected' || event.failures !== 1) return;
        return this.event(
          {
            ...eventSaid('charger.rejectedProfile', 'siteEvent.profileRejected', {
              charger: event.chargerId,
              amps: event.amps,
              connector: event.connectorId,
            }),
            severity: 'warning',
            chargerId: event.chargerId,
            details: { connectorId: event.connectorId, amps: event.amps },
          },
          event.at,
        );
      default:
        return;
    }
  }

  /** A telemetry sample now, outside the interval (the `requestReport` command). */
  reportNow(at: number): void {
    this.sendTelemetry(at);
  }

  private sendTelemetry(at: number): void {
    if (this.options.leads?.() === false) return;
    const allocation = this.latest;
    const root = this.options.site().circuits.find((c) => c.parent === null);
    if (allocation === undefined || root === undefined) return;
    const fuse = root.fuseAmps;
    const fuseAmps: PhaseAmps = typeof fuse === 'number' ? [fuse, fuse, fuse] : fuse;
    const load = allocation.circuits.find((c) => c.id === root.id);
    const body: TelemetryBody = {
      ...(load?.otherLoadAmps !== undefined && { gridAmps: sum(load.otherLoadAmps, allocation.totalAmps) }),
      evAmps: [...allocation.totalAmps],
      limitAmps: [...(load?.limitAmps ?? fuseAmps)],
      fuseAmps: [...fuseAmps],
      budget: { unit: allocation.budget.unit, value: allocation.budget.value },
      meter: load?.meter ?? 'none',
      charging: allocation.connectors.filter((c) => c.activity === 'active').length,
      paused: allocation.connectors.filter((c) => c.activity === 'paused').length,
    };
    const csms = this.options.csmsHealth?.();
    if (csms !== undefined) body.csms = csms;
    const demand = this.demandReport();
    if (demand !== undefined) body.demand = demand;
    const cluster = this.options.clusterFigures?.();
    if (cluster !== undefined) body.cluster = cluster;
    this.lastTelemetryAt = at;
    this.put('telemetry', body, at);
    this.sendSessionProgress(at);
  }

  private countUncontrolled(at: number, allocation: Allocation): void {
    const period = this.options.demandStatus?.().period;
    if (period) this.uncontrolled.add(at, uncontrolledImportWatts(allocation, this.options.site()), period);
  }

  /** The month's peak with control and the estimate without it, while peak-demand control counts. */
  private demandReport(): DemandMonthReport | undefined {
    const status = this.options.demandStatus?.();
    if (!status?.enabled || status.period === null) return undefined;
    const { month, start, end } = status.period;
    const peak = status.monthPeaks.find((p) => p.month === month);
    return {
      month,
      periodMinutes: Math.round((end - start) / 60_000),
      peakKw: peak?.kw ?? 0,
      ...(peak && { peakAt: peak.at }),
      uncontrolledPeakKw: this.uncontrolled.monthPeakKw(month),
    };
  }

  private sendSessionProgress(at: number): void {
    for (const s of this.options.openSessions()) {
      if (s.energyWh <= (this.sentEnergyWh.get(s.transactionId) ?? 0)) continue;
      this.sentEnergyWh.set(s.transactionId, s.energyWh);
      const idTag = s.idTag === undefined ? {} : { idTag: s.idTag.slice(0, 20) };
      this.put(
        'sessions',
        {
          sessionId: String(s.transactionId),
          chargerId: s.chargerId,
          connectorId: s.connectorId,
          ...idTag,
          state: 'updated',
          startedAt: s.startedAt,
          energyWh: s.energyWh,
        },
        at,
      );
    }
  }

  /** A session's connector; a session is only ever on a connector of the site, so an unreadable ref is logged and not sent. */
  private sessionAddress(ref: string): ConnectorAddress | undefined {
    const address = parseConnectorRef(ref);
    if (address === undefined)
      this.options.log.warn({ ref }, 'session on a connector that is not a valid reference not queued for the cloud');
    return address;
  }

  private event(body: EventBody, at: number): void {
    this.put('events', body, at);
  }

  private put<S extends 'telemetry' | 'sessions' | 'events'>(
    stream: S,
    body: Parameters<OutboxProducer['enqueue']>[1] & object,
    at: number,
  ): void {
    const result = this.outbox.enqueue(stream, body as never, at);
    if (!result.ok) this.options.log.warn({ stream, issues: result.issues }, 'control event not queued for the cloud');
  }
}

/**
 * The charger and connector an event names. A refused connector's ref may not be a valid reference (connector 0, an
 * identity the site model does not allow): the event then carries the ref as it is, and no charger id.
 */
function eventAddress(ref: string): { chargerId?: string; connector: { connectorId: number } | { ref: string } } {
  const address = parseConnectorRef(ref);
  return address === undefined
    ? { connector: { ref } }
    : { chargerId: address.chargerId, connector: { connectorId: address.connectorId } };
}

function sum(a: PhaseAmps, b: PhaseAmps): [number, number, number] {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
