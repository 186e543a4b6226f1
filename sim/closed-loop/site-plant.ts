/**
 * The site as physics in virtual time: building load per circuit, cars that follow the limit their charger enforces
 * (after a delay and a ramp), chargers that hold leases and a fail-safe default, report MeterValues at their own
 * interval and drop off with their leases running, and a grid meter that reads building load plus the cars' real
 * draw. It knows nothing of the controller: it answers leases and emits what a charger or a meter would say.
 * This file keeps the records and the cars' and chargers' lifecycle; the truth, the meter reports and the charger
 * calls live beside it (plant-truth.ts, plant-meter-reports.ts, plant-charger-calls.ts).
 */
import { siteTopology, type SiteTopology } from '../../shared/allocation/site-topology';
import { uniformAmps, type PhaseAmps } from '../../shared/units';
import type { SimClock } from '../charger/sim-clock';
import { CarDraw } from './car-response';
import { ChargerCalls } from './plant-charger-calls';
import { PlantMeterReports } from './plant-meter-reports';
import type { PlantAnswer, PlantEvent, PlantLease, PlantListener } from './plant-messages';
import { phasesOf, type Charger, type Connector, type PlantRecords, type Session } from './plant-records';
import type { PlantCar, PlantScenario } from './plant-scenario';
import { inForceAmps, plantSessions, plantTruth, type PlantTruth, type TruthWindows } from './plant-truth';

export class SitePlant {
  readonly topology: SiteTopology;
  private readonly connectors: Connector[];
  private readonly byRef: Map<string, Connector>;
  private readonly chargers: Charger[];
  private readonly building: PhaseAmps[];
  /** The same records, as the plant's truth, meter reports and charger calls read them. */
  private readonly records: PlantRecords;
  private readonly meterLost = new Set<string>();
  private readonly meters: PlantMeterReports;
  private readonly calls: ChargerCalls;
  private nextTransactionId = 1;
  private listener: PlantListener = () => {};
  private lastEnergyAt: number;

  constructor(
    readonly scenario: PlantScenario,
    private readonly clock: SimClock,
  ) {
    this.topology = siteTopology(scenario.site);
    this.chargers = this.topology.chargers.map((c) => ({
      id: c.id,
      online: false,
      holdUntil: 0,
      failSafeHeld: !scenario.unconfigured.includes(c.id),
      rebooting: false,
      booting: false,
      waiting: [],
      since: clock.now(),
      queued: [],
    }));
    this.connectors = this.topology.connectors.map((c) => ({
      ref: c.ref,
      chargerIndex: c.chargerIndex,
      connectorId: c.connectorId,
      maxAmps: c.maxAmps,
    }));
    this.byRef = new Map(this.connectors.map((c) => [c.ref, c]));
    this.building = this.topology.circuitIds.map(() => uniformAmps(0));
    this.lastEnergyAt = clock.now();
    this.records = {
      scenario,
      topology: this.topology,
      clock,
      connectors: this.connectors,
      chargers: this.chargers,
      building: this.building,
    };
    this.meters = new PlantMeterReports(this.records, this.meterLost, {
      send: (event) => this.listener(event),
      truth: () => this.truth(),
      integrateEnergy: () => this.integrateEnergy(),
    });
    this.calls = new ChargerCalls(this.records, this.byRef, this.meters, (connector) => this.follow(connector));
  }

  /** Starts the scenario's timers; chargers connect at once, in site order. */
  start(listener: PlantListener): void {
    this.listener = listener;
    const t0 = this.clock.now();
    const at = (seconds: number, fn: () => void) => this.clock.after(t0 + seconds * 1000 - this.clock.now(), fn);
    for (const step of this.scenario.building) {
      at(step.atSeconds, () => {
        const c = step.circuit === undefined ? this.topology.rootIndex : this.topology.circuitIndex.get(step.circuit);
        if (c !== undefined) this.building[c] = typeof step.amps === 'number' ? uniformAmps(step.amps) : step.amps;
      });
    }
    for (const car of this.scenario.cars) {
      at(car.arriveSeconds, () => this.plugIn(car));
      if (car.leaveSeconds !== undefined) at(car.leaveSeconds, () => this.unplug(car.ref));
    }
    for (const d of this.scenario.dropouts) {
      at(d.fromSeconds, () => this.setOnline(d.chargerId, false));
      at(d.toSeconds, () => this.setOnline(d.chargerId, true));
    }
    for (const m of this.scenario.meterLoss) {
      at(m.fromSeconds, () => this.meterLost.add(m.meterId));
      at(m.toSeconds, () => this.meterLost.delete(m.meterId));
    }
    for (const r of this.scenario.reboots) {
      at(r.atSeconds, () => this.reboot(r.chargerId));
      at(r.atSeconds + r.downSeconds, () => this.setOnline(r.chargerId, true));
    }
    for (const charger of this.chargers) this.setOnline(charger.id, true);
    this.meters.pollMeters();
    this.chargers.forEach((charger, i) => {
      const intervalMs = this.scenario.chargers.meterValuesSeconds * 1000;
      this.clock.after(Math.round((i * 137) % intervalMs), () => this.meters.reportMeterValues(charger, intervalMs));
    });
  }

  /** SetChargingProfile of a lease as the charger sees it (plant-charger-calls.ts). */
  sendLease(chargerId: string, lease: PlantLease): Promise<PlantAnswer> {
    return this.calls.sendLease(chargerId, lease);
  }

  /** The idle hold as the charger sees it (plant-charger-calls.ts). */
  sendIdleHold(chargerId: string, holdSeconds: number): Promise<PlantAnswer> {
    return this.calls.sendIdleHold(chargerId, holdSeconds);
  }

  /** The boot configuration as the charger sees it (plant-charger-calls.ts). */
  configureAtBoot(chargerId: string): Promise<PlantAnswer> {
    return this.calls.configureAtBoot(chargerId);
  }

  /**
   * The boot of the charger's connection made at `connectedAt` was answered: the cars that plugged in meanwhile start
   * their transactions. A connection closed since (the charger restarted) gets no answer, as a WebSocket gone is: its
   * answer must not let cars start on the next connection before that boot is answered.
   */
  bootAnswered(chargerId: string, connectedAt: number): void {
    const charger = this.chargers.find((c) => c.id === chargerId);
    if (charger === undefined || !charger.online || charger.since !== connectedAt) return;
    charger.booting = false;
    for (const car of charger.waiting.splice(0)) this.plugIn(car);
  }

  /** TriggerMessage(MeterValues) as the charger sees it (plant-charger-calls.ts). */
  triggerMeterValues(chargerId: string, connectorId: number): Promise<void> {
    return this.calls.triggerMeterValues(chargerId, connectorId);
  }

  /** The site's truth now (plant-truth.ts): what the fuse check and the scoring read. */
  truth(windows: TruthWindows = { inForceGraceMs: 0, arrivalMs: 0 }): PlantTruth {
    return plantTruth(this.records, windows);
  }

  /** Per connector with a car: its real draw, what it is allowed and what it would take. */
  sessions(): ReturnType<typeof plantSessions> {
    return plantSessions(this.records);
  }

  /** Adds energy drawn since the last call (the runner calls it every step). */
  integrateEnergy(): void {
    const t = this.clock.now();
    const hours = (t - this.lastEnergyAt) / 3_600_000;
    this.lastEnergyAt = t;
    for (const c of this.connectors) {
      const session = c.session;
      if (session === undefined) continue;
      session.energyWh += session.draw.at(t) * phasesOf(this.topology, c) * this.scenario.site.nominalVolts * hours;
      if (session.drawing && session.car.needWh !== undefined && session.energyWh >= session.car.needWh)
        this.fill(c, session);
    }
  }

  /** The car has taken what it needed: it stops drawing at once and its charger says so. */
  private fill(connector: Connector, session: Session): void {
    session.drawing = false;
    session.draw.follow(this.clock.now(), 0);
    const chargerId = this.chargers[connector.chargerIndex]!.id;
    this.emit(
      chargerId,
      { kind: 'status', chargerId, connectorId: connector.connectorId, status: 'SuspendedEV' },
      false,
    );
  }

  private plugIn(car: PlantCar): void {
    const connector = this.byRef.get(car.ref);
    if (connector === undefined || connector.session !== undefined) return;
    const charger = this.chargers[connector.chargerIndex]!;
    // Down for its restart, or up and not answered yet: no transaction starts before its boot is answered.
    if (charger.booting || charger.rebooting) return void charger.waiting.push(car);
    const online = charger.online;
    const session: Session = {
      car,
      transactionId: this.nextTransactionId++,
      pluggedAt: this.clock.now(),
      seenAtOnce: online,
      draw: new CarDraw(car),
      drawing: false,
      energyWh: 0,
    };
    connector.session = session;
    const chargerId = charger.id;
    this.emit(chargerId, { kind: 'status', chargerId, connectorId: connector.connectorId, status: 'Preparing' }, false);
    this.emit(
      chargerId,
      {
        kind: 'started',
        chargerId,
        connectorId: connector.connectorId,
        transactionId: session.transactionId,
        idTag: car.idTag,
      },
      true,
    );
    this.emit(chargerId, { kind: 'status', chargerId, connectorId: connector.connectorId, status: 'Charging' }, false);
    this.clock.after(car.startSeconds * 1000, () => {
      if (connector.session !== session) return;
      session.drawing = true;
      this.follow(connector);
    });
  }

  private unplug(ref: string): void {
    const connector = this.byRef.get(ref);
    const session = connector?.session;
    if (connector === undefined) return;
    const { waiting } = this.chargers[connector.chargerIndex]!;
    waiting.splice(0, waiting.length, ...waiting.filter((car) => car.ref !== ref));
    if (session === undefined) return;
    this.integrateEnergy();
    connector.session = undefined;
    connector.lease = undefined;
    const chargerId = this.chargers[connector.chargerIndex]!.id;
    this.emit(
      chargerId,
      { kind: 'stopped', chargerId, transactionId: session.transactionId, meterStopWh: Math.round(session.energyWh) },
      true,
    );
    this.emit(chargerId, { kind: 'status', chargerId, connectorId: connector.connectorId, status: 'Available' }, false);
  }

  /**
   * The charger restarts: its cars' transactions end, it goes offline, and comes back having lost every profile.
   */
  private reboot(chargerId: string): void {
    const charger = this.chargers.find((c) => c.id === chargerId);
    if (charger === undefined) return;
    for (const c of this.connectors) if (this.chargers[c.chargerIndex] === charger && c.session) this.unplug(c.ref);
    this.setOnline(chargerId, false);
    charger.rebooting = true;
  }

  private setOnline(chargerId: string, online: boolean): void {
    const charger = this.chargers.find((c) => c.id === chargerId);
    if (charger === undefined || charger.online === online) return;
    charger.online = online;
    charger.since = this.clock.now();
    if (!online) {
      this.listener({ kind: 'disconnected', chargerId });
      return;
    }
    if (charger.rebooting) {
      charger.rebooting = false;
      charger.failSafeHeld = false;
      charger.holdUntil = 0;
    }
    charger.booting = !charger.failSafeHeld;
    this.listener({ kind: 'connected', chargerId, booted: charger.booting });
    for (const c of this.connectors) {
      if (this.chargers[c.chargerIndex] !== charger) continue;
      this.listener({
        kind: 'status',
        chargerId,
        connectorId: c.connectorId,
        status: c.session ? 'Charging' : 'Available',
      });
    }
    for (const event of charger.queued.splice(0)) this.listener(event);
    // Back without a boot (it kept its profiles): accepted at once, so cars that waited for its last boot start now.
    if (!charger.booting) this.bootAnswered(chargerId, charger.since);
  }

  /** Sends an event now, or keeps a transaction event for later while the charger is offline. */
  private emit(chargerId: string, event: PlantEvent, queueOffline: boolean): void {
    const charger = this.chargers.find((c) => c.id === chargerId)!;
    if (charger.online) this.listener(event);
    else if (queueOffline) charger.queued.push(event);
  }

  private follow(connector: Connector): void {
    const session = connector.session;
    if (session === undefined || !session.drawing) return;
    const t = this.clock.now();
    session.draw.follow(t, Math.min(inForceAmps(this.records, connector, t), session.car.maxAmps));
  }
}
