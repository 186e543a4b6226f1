/** In-memory fakes of the ports ingest uses (our own ports, not the DynamoDB adapters), counting every write. */
import type { ClusterHealthRecord, ClusterHealthRepository } from '../../../../cloud/ports/cluster-health-repository';
import type {
  ClusterMajorityRecord,
  ClusterMajorityRepository,
} from '../../../../cloud/ports/cluster-majority-repository';
import type { ClusterNodeRecord, ClusterNodeRepository } from '../../../../cloud/ports/cluster-node-repository';
import type { DemandMonthRecord, DemandMonthRepository } from '../../../../cloud/ports/demand-month-repository';
import type { EventRepository, SiteEvent } from '../../../../cloud/ports/event-repository';
import type { GatewayRegistration, GatewayRepository } from '../../../../cloud/ports/gateway-repository';
import type { AppliedPolicyRecord, PolicyRepository } from '../../../../cloud/ports/policy-repository';
import type { SessionRecord, SessionRepository } from '../../../../cloud/ports/session-repository';
import type { TelemetryRepository, TelemetrySample } from '../../../../cloud/ports/telemetry-repository';
import type { MessageLedger } from '../../../../cloud/ingest/message-ledger';
import type { IngestDeps } from '../../../../cloud/ingest/ingest-deps';

export interface InMemoryIngest {
  readonly deps: IngestDeps;
  readonly gateways: GatewayRegistration[];
  readonly telemetry: Map<string, TelemetrySample>;
  readonly sessions: Map<string, SessionRecord>;
  readonly events: Map<string, SiteEvent>;
  readonly applied: Map<string, AppliedPolicyRecord>;
  readonly ledger: Set<string>;
  /** Peak-demand month reports, in the order written. */
  readonly demandReports: DemandMonthRecord[];
  /** Cluster node reports, in the order written. */
  readonly clusterReports: ClusterNodeRecord[];
  readonly clusterHealth: ClusterHealthRecord[];
  readonly clusterMajority: ClusterMajorityRecord[];
  /** Rows written, counting overwrites: a replay that reaches a repository shows up here. */
  readonly writes: { telemetry: number; sessions: number; events: number };
  /** Makes the next write of that kind fail like a data store outage. */
  failNext: 'telemetry' | 'sessions' | 'events' | undefined;
}

const unused = () => Promise.reject(new Error('not used by ingest'));

export function inMemoryIngest(now = 1_700_000_000_000): InMemoryIngest {
  const state: InMemoryIngest = {
    deps: undefined as unknown as IngestDeps,
    gateways: [],
    telemetry: new Map(),
    demandReports: [],
    clusterReports: [],
    clusterHealth: [],
    clusterMajority: [],
    sessions: new Map(),
    events: new Map(),
    applied: new Map(),
    ledger: new Set(),
    writes: { telemetry: 0, sessions: 0, events: 0 },
    failNext: undefined,
  };
  const maybeFail = async (kind: 'telemetry' | 'sessions' | 'events') => {
    await Promise.resolve();
    if (state.failNext !== kind) return;
    state.failNext = undefined;
    throw new Error(`${kind} store is down`);
  };
  const gateways: GatewayRepository = {
    create: (registration) => Promise.resolve(void state.gateways.push(registration)),
    get: (tenantId, siteId, thingName) =>
      Promise.resolve(
        state.gateways.find((g) => g.tenantId === tenantId && g.siteId === siteId && g.thingName === thingName),
      ),
    listForSite: (tenantId, siteId) =>
      Promise.resolve(state.gateways.filter((g) => g.tenantId === tenantId && g.siteId === siteId)),
    findByThingName: (thingName) => Promise.resolve(state.gateways.find((g) => g.thingName === thingName)),
    markRevoked: unused,
  };
  const telemetry: TelemetryRepository = {
    put: async (samples) => {
      await maybeFail('telemetry');
      for (const s of samples) state.telemetry.set(`${s.tenantId}#${s.siteId}#${s.at}#${s.messageId}`, s);
      state.writes.telemetry += samples.length;
    },
    range: unused,
  };
  const sessions: SessionRepository = {
    put: async (s) => {
      await maybeFail('sessions');
      const key = `${s.tenantId}#${s.siteId}#${s.startedAt}#${s.sessionId}`;
      const stored = state.sessions.get(key);
      // The port's forward-only rule, as the DynamoDB repository's condition applies it.
      if (
        stored !== undefined &&
        s.stoppedAt === undefined &&
        (stored.stoppedAt !== undefined || stored.energyWh > s.energyWh)
      )
        return 'superseded';
      state.sessions.set(key, s);
      state.writes.sessions += 1;
      return 'written';
    },
    list: (tenantId, siteId, query) => {
      const items = [...state.sessions.values()].filter(
        (s) => s.tenantId === tenantId && s.siteId === siteId && s.startedAt >= query.from && s.startedAt < query.to,
      );
      return Promise.resolve({ items: items.sort((a, b) => b.startedAt - a.startedAt).slice(0, query.limit) });
    },
  };
  const events: EventRepository = {
    put: async (list) => {
      await maybeFail('events');
      for (const e of list) state.events.set(`${e.tenantId}#${e.siteId}#${e.at}#${e.eventId}`, e);
      state.writes.events += list.length;
    },
    list: unused,
  };
  const policies: PolicyRepository = {
    getDesired: unused,
    putDesired: unused,
    history: unused,
    getApplied: (tenantId, siteId) => Promise.resolve(state.applied.get(`${tenantId}#${siteId}`)),
    putApplied: (record) => Promise.resolve(void state.applied.set(`${record.tenantId}#${record.siteId}`, record)),
  };
  const demandMonths: DemandMonthRepository = {
    report: (record) => Promise.resolve(void state.demandReports.push(record)),
    list: unused,
  };
  const clusterNodes: ClusterNodeRepository = {
    report: (record) => Promise.resolve(void state.clusterReports.push(record)),
    list: unused,
  };
  const clusterHealth: ClusterHealthRepository = {
    report: (record) => Promise.resolve(void state.clusterHealth.push(record)),
    list: unused,
  };
  const clusterMajority: ClusterMajorityRepository = {
    report: (record) => Promise.resolve(void state.clusterMajority.push(record)),
    list: unused,
  };
  const ledger: MessageLedger = {
    seen: (tenantId, siteId, ids) =>
      Promise.resolve(new Set(ids.filter((id) => state.ledger.has(`${tenantId}#${siteId}#${id}`)))),
    record: (tenantId, siteId, ids) =>
      Promise.resolve(ids.forEach((id) => state.ledger.add(`${tenantId}#${siteId}#${id}`))),
  };
  (state as { deps: IngestDeps }).deps = {
    repositories: {
      gateways,
      telemetry,
      sessions,
      events,
      policies,
      demandMonths,
      clusterNodes,
      clusterHealth,
      clusterMajority,
    },
    ledger,
    clock: () => now,
  };
  return state;
}
