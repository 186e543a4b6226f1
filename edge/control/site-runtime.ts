/** The one in-memory model of the site at run time: connector states, sessions, charger links and meter readings. */
import type { MessageRef } from '../../shared/server-messages';
import type { Allocation, OtherLoadEstimate, SiteSnapshot } from '../../shared/allocation/allocation-types';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Site } from '../../shared/site/site-schema';
import type {
  ConnectorState,
  ConnectorStatus,
  LinkState,
  Measurement,
  MeterReading,
} from '../../shared/site/site-state';
import { CarPhases } from './car-phases';
import { withConnector } from './adoption-rules';
import { CeilingSite } from './ceiling-site';
import { ConnectorView } from './connector-view';
import type { ConnectorCeilings, SessionRecord } from './control-ports';
import { DrawHistory } from './draw-history';
import { MeterReadings } from './meter-readings';
import type { ProbationSettings } from './meter-probation';

/** A running transaction on a connector, with what the allocator's Session does not carry. */
export interface RuntimeSession extends Omit<SessionRecord, 'energyWh'> {
  energyWh: number;
  /** The charger's time of the energy reading behind `energyWh`, once one was received. */
  energyAt?: number;
  /** Recent samples and limits, to tell the car's draw at a meter's instant. */
  readonly history: DrawHistory;
  readonly phases: CarPhases;
}

interface ConnectorRuntime {
  readonly ref: string;
  readonly chargerId: string;
  readonly connectorId: number;
  status: ConnectorStatus;
  session?: RuntimeSession;
  /** Its state as the last snapshot handed it to the allocator. */
  readonly view: ConnectorView;
}

interface ChargerRuntime {
  link: LinkState;
  /** False when the charger refused the fail-safe default: without a lease it runs at its own maximum. */
  failSafeInstalled: boolean;
  /** From a real boot until it accepts its fail-safe default: a car plugging in would draw the charger's maximum. */
  unconfigured: boolean;
}

/** What chargers we do not control right now enforce on their own. */
export interface EnforcedPort {
  /** On a connector: its lease until it expires, else its default (or more while its car still follows a cut). */
  reserved(chargerId: string, connectorId: number): number;
  /** What the charger gives a car that plugs in now, until its lease arrives (0 under the idle hold). */
  unleased(chargerId: string): number;
}

export class SiteRuntime {
  private readonly connectors = new Map<string, ConnectorRuntime>();
  private readonly connectorsByCharger = new Map<string, ConnectorRuntime[]>();
  private readonly chargers = new Map<string, ChargerRuntime>();
  private readonly byTransaction = new Map<number, ConnectorRuntime>();
  /** `sessionsByRef()` as last listed, until a session starts or stops: every round reads it. */
  private sessionList: readonly [string, RuntimeSession][] | undefined;
  private readonly meters = new MeterReadings();
  /** Refs of connectors adopted at run time, in the order they were. */
  private readonly adopted: string[] = [];
  private current: Site;
  private base: Site;
  private readonly ceilingSite: CeilingSite | undefined;

  /**
   * `site`: the site to start with (the version in force); `carResponseMs`: how long a car may take to follow a new
   * limit (samples before that are not averaged in); `ceilings`: limits another party sets on connectors, which the
   * allocation stays under.
   */
  constructor(
    site: Site,
    private readonly carResponseMs = 5_000,
    ceilings?: ConnectorCeilings,
  ) {
    this.base = site;
    this.current = site;
    this.ceilingSite = ceilings && new CeilingSite(ceilings);
    this.replaceSite(site);
  }

  /** The site in force: the version put in force last, plus any connector adopted since (each change makes a new object). */
  get site(): Site {
    return this.current;
  }

  /** The version put in force last, without the connectors adopted at run time: what a policy may name. */
  get configuredSite(): Site {
    return this.base;
  }

  /**
   * Puts another version of the site in force, in one step: chargers and connectors it keeps keep their link, status and
   * session; new ones start offline on their own fail-safe, as at start; those it drops are forgotten here (their
   * sessions' history stays in the store). A connector adopted at run time stays adopted while its charger is listed
   * and the version does not list it.
   */
  replaceSite(site: Site): void {
    const wanted = new Map<string, ConnectorRuntime[]>();
    const kept = new Set<string>();
    for (const charger of site.chargers) {
      if (!this.chargers.has(charger.id))
        this.chargers.set(charger.id, { link: 'offline', failSafeInstalled: true, unconfigured: false });
      const ids = charger.connectors.map((c) => c.id);
      const adopted = this.adopted.flatMap((ref) => {
        const connector = this.connectors.get(ref);
        return connector?.chargerId === charger.id && !ids.includes(connector.connectorId)
          ? [connector.connectorId]
          : [];
      });
      wanted.set(
        charger.id,
        [...ids, ...adopted].map((connectorId) => {
          const ref = formatConnectorRef(charger.id, connectorId);
          kept.add(ref);
          return this.connectors.get(ref) ?? newConnector(ref, charger.id, connectorId);
        }),
      );
    }
    for (const [ref, connector] of this.connectors) {
      if (kept.has(ref)) continue;
      this.connectors.delete(ref);
      if (connector.session !== undefined) this.byTransaction.delete(connector.session.transactionId);
    }
    this.sessionList = undefined;
    for (const id of this.chargers.keys()) if (!wanted.has(id)) this.chargers.delete(id);
    this.connectorsByCharger.clear();
    for (const [id, own] of wanted) {
      this.connectorsByCharger.set(id, own);
      for (const connector of own) this.connectors.set(connector.ref, connector);
    }
    const stillAdopted = this.adopted.filter((ref) => {
      const connector = this.connectors.get(ref);
      return (
        connector !== undefined &&
        !site.chargers.some(
          (c) => c.id === connector.chargerId && c.connectors.some((k) => k.id === connector.connectorId),
        )
      );
    });
    this.adopted.splice(0, this.adopted.length, ...stillAdopted);
    this.base = site;
    this.current = stillAdopted.reduce((s, ref) => {
      const connector = this.connectors.get(ref);
      return connector === undefined ? s : withConnector(s, connector.chargerId, connector.connectorId);
    }, site);
  }

  /**
   * Adds connector `connectorId` to a listed charger (see adoption-rules.ts for when that is safe): a new site is put
   * in force. False when the charger is unknown or the connector is already part of the site.
   */
  adopt(chargerId: string, connectorId: number): boolean {
    const own = this.connectorsByCharger.get(chargerId);
    const ref = formatConnectorRef(chargerId, connectorId);
    if (own === undefined || this.connectors.has(ref)) return false;
    const connector = newConnector(ref, chargerId, connectorId);
    this.connectors.set(ref, connector);
    own.push(connector);
    this.adopted.push(ref);
    this.current = withConnector(this.current, chargerId, connectorId);
    return true;
  }

  /** Refs of the connectors adopted at run time (not in the site file). */
  adoptedRefs(): readonly string[] {
    return this.adopted;
  }

  has(chargerId: string): boolean {
    return this.chargers.has(chargerId);
  }

  /** True when the connector is part of the site (listed or adopted). */
  hasConnector(chargerId: string, connectorId: number): boolean {
    return this.connectors.has(formatConnectorRef(chargerId, connectorId));
  }

  link(chargerId: string): LinkState | undefined {
    return this.chargers.get(chargerId)?.link;
  }

  /** Sets a charger's link; true when it changed. */
  setLink(chargerId: string, link: LinkState): boolean {
    const charger = this.chargers.get(chargerId);
    if (charger === undefined || charger.link === link) return false;
    charger.link = link;
    return true;
  }

  failSafeInstalled(chargerId: string): boolean {
    return this.chargers.get(chargerId)?.failSafeInstalled ?? true;
  }

  /** The boot configuration's outcome: only an accepted fail-safe ends what a boot began (`booted`). */
  setFailSafeInstalled(chargerId: string, installed: boolean): void {
    const charger = this.chargers.get(chargerId);
    if (charger === undefined) return;
    charger.failSafeInstalled = installed;
    if (installed) charger.unconfigured = false;
  }

  /**
   * The charger booted for real (not at our request): it may have lost every profile (a new charger has none), so
   * until it accepts its fail-safe default again it counts as holding none, and its idle connectors are reserved at
   * what a car plugging in would draw there.
   */
  booted(chargerId: string): void {
    const charger = this.chargers.get(chargerId);
    if (charger === undefined) return;
    charger.failSafeInstalled = false;
    charger.unconfigured = true;
  }

  /** Sets a connector's status (connector 0 means the whole charger); true when it changed. */
  setStatus(chargerId: string, connectorId: number, status: ConnectorStatus): boolean {
    let changed = false;
    for (const connector of this.connectorsOf(chargerId)) {
      if ((connectorId === 0 || connector.connectorId === connectorId) && connector.status !== status) {
        connector.status = status;
        changed = true;
      }
    }
    return changed;
  }

  /** Starts (or resumes after a restart) a session; false when the connector is not part of the site. */
  startSession(record: SessionRecord, status: ConnectorStatus = 'Charging'): boolean {
    const connector = this.connectors.get(formatConnectorRef(record.chargerId, record.connectorId));
    if (connector === undefined) return false;
    if (connector.session !== undefined) this.byTransaction.delete(connector.session.transactionId);
    connector.session = { ...record, history: new DrawHistory(), phases: new CarPhases() };
    if (connector.status === 'Available' || connector.status === 'Finishing') connector.status = status;
    this.byTransaction.set(record.transactionId, connector);
    this.sessionList = undefined;
    return true;
  }

  /** Ends a session; returns it with its final energy, or undefined for an unknown transaction. */
  stopSession(transactionId: number, meterStopWh: number): (RuntimeSession & { ref: string }) | undefined {
    const connector = this.byTransaction.get(transactionId);
    if (connector?.session === undefined) return undefined;
    this.byTransaction.delete(transactionId);
    this.sessionList = undefined;
    const session = {
      ...connector.session,
      energyWh: Math.max(0, meterStopWh - connector.session.meterStartWh),
      ref: connector.ref,
    };
    connector.session = undefined;
    return session;
  }

  session(transactionId: number): RuntimeSession | undefined {
    return this.byTransaction.get(transactionId)?.session;
  }

  /** The session on a connector, if any. */
  sessionAt(chargerId: string, connectorId: number): RuntimeSession | undefined {
    return this.sessionByRef(formatConnectorRef(chargerId, connectorId));
  }

  /** The session on the connector `ref` names, if any: for callers that hold the ref already (an allocation's). */
  sessionByRef(ref: string): RuntimeSession | undefined {
    return this.connectors.get(ref)?.session;
  }

  openSessions(): RuntimeSession[] {
    return [...this.byTransaction.values()].flatMap((c) => (c.session ? [c.session] : []));
  }

  /** Records what a charger measured on a connector; `energy.registerWh` is its lifetime register, read at `energy.at` (its clock, checked). */
  recordMeasurement(
    chargerId: string,
    connectorId: number,
    measured: Measurement | undefined,
    energy: { registerWh: number; at: number } | undefined,
  ): boolean {
    const session = this.sessionAt(chargerId, connectorId);
    if (session === undefined) return false;
    if (energy !== undefined) {
      session.energyWh = Math.max(0, energy.registerWh - session.meterStartWh);
      session.energyAt = energy.at;
    }
    if (measured === undefined) return false;
    session.history.addSample(measured.at, measured.amps);
    session.phases.observe(measured.amps);
    return true;
  }

  /** Every connector with a running transaction. */
  sessionsByRef(): readonly [string, RuntimeSession][] {
    this.sessionList ??= [...this.byTransaction.values()].flatMap((c) =>
      c.session ? [[c.ref, c.session] as [string, RuntimeSession]] : [],
    );
    return this.sessionList;
  }

  /**
   * Takes a meter sample: a valid one becomes the reading, an invalid one is remembered as the fault. Returns when the
   * meter's readings count again if this reading put it on probation (`meter-probation.ts`).
   */
  recordMeterReading(
    reading: MeterReading,
    invalidReason: MessageRef | undefined,
    probation: ProbationSettings,
  ): number | undefined {
    return this.meters.record(reading, invalidReason, probation);
  }

  /** The allocation put a meter's circuit on its fallback budget (`lost`) or saw the meter again. */
  meterTransition(meterId: string, lost: boolean, at: number, probation: ProbationSettings): void {
    this.meters.transition(meterId, lost, at, probation);
  }

  /** Drops a meter's last reading (its settings changed): its circuits count it as stale until its next valid one. */
  forgetMeterReading(meterId: string, reason: MessageRef): void {
    this.meters.forget(meterId, reason);
  }

  lastValidReading(meterId: string): MeterReading | undefined {
    return this.meters.lastValid(meterId);
  }

  meterFault(meterId: string): MessageRef | undefined {
    return this.meters.fault(meterId);
  }

  /**
   * The allocator's input; `previous` is fed back every round. `enforced` tells what a charger we do not control right
   * now (offline, unresponsive) enforces; `otherLoad` is the caller's estimate per metered circuit.
   */
  snapshot(
    previous: Allocation | undefined,
    enforced?: EnforcedPort,
    otherLoad: readonly OtherLoadEstimate[] = [],
  ): SiteSnapshot {
    const phasesOf = (chargerId: string, connectorId: number) => this.sessionAt(chargerId, connectorId)?.phases.value;
    const ceiled = this.ceilingSite?.of(this.site, phasesOf);
    const states: ConnectorState[] = [];
    for (const c of this.connectors.values()) {
      const { link, unconfigured } = this.chargers.get(c.chargerId)!;
      // A car the CSMS limits to fewer phases is counted on those only.
      const carPhases = ceiled?.phases.get(c.ref) ?? c.session?.phases.value;
      // Closed loop judges the car on its samples since the last change, averaged: one noisy sample never releases a cap.
      const smoothed = c.session?.history.smoothed(this.carResponseMs);
      const reserved = link !== 'online' || (unconfigured && c.session === undefined);
      const enforcedAmps = reserved ? enforced?.reserved(c.chargerId, c.connectorId) : undefined;
      const unleasedAmps = link === 'offline' ? enforced?.unleased(c.chargerId) : undefined;
      states.push(c.view.of(c.status, link, c.session, smoothed, carPhases, enforcedAmps, unleasedAmps));
    }
    return {
      site: ceiled?.site ?? this.site,
      connectors: states,
      meters: this.meters.trusted(),
      ...(previous && { previous }),
      ...(otherLoad.length > 0 && { otherLoad }),
    };
  }

  private connectorsOf(chargerId: string): readonly ConnectorRuntime[] {
    return this.connectorsByCharger.get(chargerId) ?? [];
  }
}

function newConnector(ref: string, chargerId: string, connectorId: number): ConnectorRuntime {
  return { ref, chargerId, connectorId, status: 'Available', view: new ConnectorView(ref) };
}
