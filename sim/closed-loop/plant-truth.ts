/**
 * What is true on the site at one instant, per circuit and phase, and per connector with a car: what the fuse check and
 * the scoring read. Its own file because it only reads the plant's records, while the plant changes them.
 */
import type { SiteTopology } from '../../shared/allocation/site-topology';
import { uniformAmps, type PhaseAmps } from '../../shared/units';
import { phasesOf, type Connector, type PlantRecords } from './plant-records';

/** What is true at one instant, per circuit and phase. */
export interface PlantTruth {
  /** Other consumers under each circuit (its own and its sub-circuits'). */
  readonly buildingAmps: readonly PhaseAmps[];
  /** Our cars' real draw under each circuit. */
  readonly carAmps: readonly PhaseAmps[];
  /** What every charger under each circuit enforces now (leases, fail-safe defaults), had every car taken it all. */
  readonly inForceAmps: readonly PhaseAmps[];
  /**
   * What offline chargers may enforce unseen, which no controller can change now: what they hold, and their default
   * wherever a car may leave and another plug in; and the maximum of an idle charger that booted and holds no profile.
   */
  readonly offlineAmps: readonly PhaseAmps[];
  /** The part of `carAmps` drawn at offline chargers: a controller sees it only as part of the meter reading. */
  readonly offlineCarAmps: readonly PhaseAmps[];
  /** The part of `carAmps` no controller could have cut yet: at offline chargers, and at chargers back for less than `arrivalMs`. */
  readonly uncuttableCarAmps: readonly PhaseAmps[];
  /** The part of `carAmps` drawn at their fail-safe default by cars that plugged into an online charger lately. */
  readonly arrivingAmps: readonly PhaseAmps[];
}

export interface TruthWindows {
  /** A car that plugged in this recently (or a charger that went offline) is not counted in force yet. */
  readonly inForceGraceMs: number;
  /** A car that plugged in this recently draws its fail-safe before the others' cuts could land. */
  readonly arrivalMs: number;
}

/** The longest a car takes to follow a lower limit (IEC 61851). */
const CAR_RESPONSE_MS = 5_000;

/** The limit a connector's charger enforces now, per phase. */
export function inForceAmps(plant: PlantRecords, connector: Connector, t: number): number {
  const lease = connector.lease;
  if (
    connector.session !== undefined &&
    lease !== undefined &&
    lease.transactionId === connector.session.transactionId
  ) {
    if (lease.validTo > t) return Math.min(lease.amps, connector.maxAmps);
    if (lease.fallbackAmps !== undefined) return Math.min(lease.fallbackAmps, connector.maxAmps);
  }
  const charger = plant.chargers[connector.chargerIndex]!;
  if (charger.holdUntil > t) return 0;
  return charger.failSafeHeld
    ? Math.min(plant.scenario.policy.failSafe.connectorAmps, connector.maxAmps)
    : connector.maxAmps;
}

/**
 * Per circuit and phase: building load, our cars' real draw and what the chargers enforce, at the clock's now. A car
 * plugged into an online charger less than `inForceGraceMs` ago is not counted in force: its charger's fail-safe
 * default holds from the first instant, before any controller can hear of it, while the car draws nothing yet. For
 * the same reason a charger without a car counts at its fail-safe only once it has been offline that long, and one
 * that booted and holds no profile counts at its maximum (a car plugging in gets it) once it has been back that long.
 */
export function plantTruth(plant: PlantRecords, windows: TruthWindows): PlantTruth {
  const arrivalGraceMs = windows.inForceGraceMs;
  const t = plant.clock.now();
  const circuits = plant.topology.circuitIds.length;
  const building = new Float64Array(circuits * 3);
  const cars = new Float64Array(circuits * 3);
  const inForce = new Float64Array(circuits * 3);
  const offline = new Float64Array(circuits * 3);
  const arriving = new Float64Array(circuits * 3);
  const offlineCars = new Float64Array(circuits * 3);
  const uncuttable = new Float64Array(circuits * 3);
  plant.building.forEach((amps, c) => addUp(building, pathOfCircuit(plant.topology, c), [0, 1, 2], amps));
  for (const connector of plant.connectors) {
    const charger = plant.topology.chargers[connector.chargerIndex]!;
    const phases = phasesOf(plant.topology, connector);
    const session = connector.session;
    const draw = session === undefined ? 0 : session.draw.at(t);
    const grid = charger.gridPhases.slice(0, phases);
    if (draw > 0) addUp(cars, charger.circuitPath, grid, uniformAmps(draw));
    const link = plant.chargers[connector.chargerIndex]!;
    if (draw > 0 && !link.online) addUp(offlineCars, charger.circuitPath, grid, uniformAmps(draw));
    if (draw > 0 && (!link.online || t - link.since < windows.arrivalMs))
      addUp(uncuttable, charger.circuitPath, grid, uniformAmps(draw));
    if (draw > 0 && session!.seenAtOnce && t - session!.pluggedAt < windows.arrivalMs) {
      addUp(
        arriving,
        charger.circuitPath,
        grid,
        uniformAmps(Math.min(draw, plant.scenario.policy.failSafe.connectorAmps)),
      );
    }
    // A charger without a car enforces its default as soon as one plugs in: count it wherever a car may arrive.
    const justPlugged = session !== undefined && session.seenAtOnce && t - session.pluggedAt < arrivalGraceMs;
    const unprotected = link.online && !link.failSafeHeld && link.holdUntil <= t;
    const idleUnseen = session === undefined && (!link.online || unprotected) && t - link.since >= arrivalGraceMs;
    const limit = (session !== undefined && !justPlugged) || idleUnseen ? inForceAmps(plant, connector, t) : 0;
    const on = charger.gridPhases.slice(0, session ? phases : charger.phases);
    if (limit > 0) addUp(inForce, charger.circuitPath, on, uniformAmps(limit));
    if (session === undefined ? !idleUnseen : link.online) {
      // A controller hears of a boot at once, and may keep others from starting for it from then on.
      if (session === undefined && unprotected)
        addUp(offline, charger.circuitPath, on, uniformAmps(inForceAmps(plant, connector, t)));
      continue;
    }
    // An offline charger whose lease just ran out may still see its car draw the lease for up to 5 s (IEC 61851);
    // its car may also leave unseen and another plug in, which gets the default on every phase of the charger.
    const failSafe = Math.min(plant.scenario.policy.failSafe.connectorAmps, connector.maxAmps);
    const held = Math.max(limit, failSafe, session ? inForceAmps(plant, connector, t - CAR_RESPONSE_MS) : 0);
    addUp(offline, charger.circuitPath, on, uniformAmps(held));
    const idle = charger.gridPhases.slice(on.length, charger.phases);
    if (idle.length > 0) addUp(offline, charger.circuitPath, idle, uniformAmps(failSafe));
  }
  const per = (a: Float64Array) =>
    Array.from({ length: circuits }, (_, c): PhaseAmps => [a[c * 3]!, a[c * 3 + 1]!, a[c * 3 + 2]!]);
  return {
    buildingAmps: per(building),
    carAmps: per(cars),
    inForceAmps: per(inForce),
    offlineAmps: per(offline),
    offlineCarAmps: per(offlineCars),
    uncuttableCarAmps: per(uncuttable),
    arrivingAmps: per(arriving),
  };
}

/** Per connector with a car: its real draw, what it is allowed and what it would take. */
export function plantSessions(plant: PlantRecords): {
  ref: string;
  drawAmps: number;
  inForceAmps: number;
  wantAmps: number;
  phases: number;
  drawing: boolean;
  online: boolean;
  pluggedAt: number;
  energyWh: number;
}[] {
  const t = plant.clock.now();
  return plant.connectors.flatMap((c) => {
    const s = c.session;
    if (s === undefined) return [];
    const online = plant.chargers[c.chargerIndex]!.online;
    return [
      {
        ref: c.ref,
        drawAmps: s.draw.at(t),
        inForceAmps: inForceAmps(plant, c, t),
        wantAmps: Math.min(s.car.maxAmps, c.maxAmps),
        phases: phasesOf(plant.topology, c),
        drawing: s.drawing,
        online,
        pluggedAt: s.pluggedAt,
        energyWh: s.energyWh,
      },
    ];
  });
}

function pathOfCircuit(topology: SiteTopology, c: number): number[] {
  const path: number[] = [];
  for (let k = c; k >= 0; k = topology.parentIndex[k] ?? -1) path.push(k);
  return path;
}

/** Adds `amps[k]` to grid phase `gridPhases[k]` of every circuit in `circuits`. */
function addUp(into: Float64Array, circuits: readonly number[], gridPhases: readonly number[], amps: PhaseAmps): void {
  for (const c of circuits) gridPhases.forEach((g, k) => (into[c * 3 + g]! += amps[k]!));
}
