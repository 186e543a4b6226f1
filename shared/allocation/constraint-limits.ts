/** How much each constraint allows this round: fuses, dynamic headroom from the meters, fail-safe fallbacks, budget. */
import { activeBudget } from '../policy/budget-schedule';
import type { Policy } from '../policy/policy-schema';
import type { Site } from '../site/site-schema';
import type { MeterReading } from '../site/site-state';
import { PHASES, perPhase, type PhaseAmps } from '../units';
import { addAt, f64, i32, u8 } from './typed-access';
import type { Allocation, BudgetSource, OtherLoadEstimate } from './allocation-types';
import type { ConnectorDemand } from './connector-demand';
import { stepsDown } from './connector-demand';
import type { ConstraintLayout } from './constraint-set';
import { sumPerCircuit, type SiteTopology } from './site-topology';

const NO_BAND: PhaseAmps = [0, 0, 0];

export type MeterHealth = 'none' | 'ok' | 'lost';

export interface ConstraintLimits {
  /** Capacity of every constraint in steps (Infinity when unlimited). */
  readonly capacity: Float64Array;
  /** Per circuit: what its chargers may use, in amps per phase. */
  readonly circuitLimitAmps: readonly PhaseAmps[];
  readonly otherLoadAmps: readonly (PhaseAmps | undefined)[];
  readonly meter: readonly MeterHealth[];
  readonly budget: Allocation['budget'];
}

/** Computes every constraint's capacity for this round. */
export function constraintLimits(
  site: Site,
  topology: SiteTopology,
  layout: ConstraintLayout,
  demand: ConnectorDemand,
  meters: readonly MeterReading[],
  policy: Policy,
  now: number,
  otherLoad: readonly OtherLoadEstimate[] = [],
  chargerPowerCapW?: number,
): ConstraintLimits {
  const step = policy.granularityAmps;
  const capacity = new Float64Array(layout.count).fill(Infinity);
  const circuits = topology.circuitIds.length;
  const control = policy.control;
  const dynamic = control.mode === 'dynamic' ? control : undefined;
  const readings = new Map(meters.map((m) => [m.meterId, m]));
  const estimated = new Map(otherLoad.map((o) => [o.circuitId, o]));
  const needsOwnDraw =
    dynamic !== undefined &&
    topology.meterIds.some((m, c) => m !== undefined && !estimated.has(topology.circuitIds[c]!));
  const ownDraw = needsOwnDraw ? ownDrawPerCircuit(topology, demand) : undefined;
  const circuitLimitAmps: PhaseAmps[] = [];
  const otherLoadAmps: (PhaseAmps | undefined)[] = [];
  /** Per circuit, the band kept free for the estimate's own error. */
  const bands: PhaseAmps[] = [];
  const meter: MeterHealth[] = [];
  for (let c = 0; c < circuits; c++) {
    const fuse = topology.fuseAmps[c]!;
    const meterId = topology.meterIds[c];
    let limit: PhaseAmps = fuse;
    let other: PhaseAmps | undefined;
    let band = NO_BAND;
    let health: MeterHealth = 'none';
    if (dynamic && meterId !== undefined) {
      const reading = readings.get(meterId);
      const fresh =
        reading !== undefined &&
        reading.valid &&
        now - reading.at <= dynamic.staleMeter.afterSeconds * 1000 &&
        reading.at <= now;
      if (fresh) {
        health = 'ok';
        const own = ownDraw?.[c];
        const estimate = estimated.get(topology.circuitIds[c]!);
        other = estimate?.amps ?? perPhase((p) => Math.max(0, reading.amps[p] - own![p]));
        const otherAmps = other;
        band = estimate?.bandAmps ?? NO_BAND;
        limit = perPhase((p) => Math.max(0, fuse[p] - otherAmps[p] - band[p] - dynamic.safetyMarginAmps));
      } else {
        health = 'lost';
        limit = perPhase((p) => Math.min(fuse[p], dynamic.staleMeter.fallbackAmps));
      }
    }
    circuitLimitAmps.push(limit);
    otherLoadAmps.push(other);
    bands.push(band);
    meter.push(health);
    for (const p of PHASES) capacity[c * 3 + p] = stepsDown(limit[p], step);
  }
  for (const charger of topology.chargers) {
    if (charger.node < 0) continue;
    for (let p = 0; p < 3; p++) capacity[layout.chargerBase + charger.node * 3 + p] = stepsDown(charger.maxAmps, step);
  }
  const { value, source } = activeBudget(policy, now, site.timezone);
  if (policy.budget.unit === 'A') {
    for (let p = 0; p < 3; p++) capacity[layout.budgetPhaseBase + p] = stepsDown(value, step);
  } else {
    capacity[layout.budgetPower] = stepsDown((value * 1000) / site.nominalVolts, step);
  }
  if (chargerPowerCapW !== undefined) {
    const demandSteps = stepsDown(Math.max(0, chargerPowerCapW) / site.nominalVolts, step);
    capacity[layout.budgetPower] = Math.min(f64(capacity, layout.budgetPower), demandSteps);
  }
  const rootOther = otherLoadAmps[topology.rootIndex];
  const rootBand = bands[topology.rootIndex] ?? NO_BAND;
  if (dynamic?.gridLimitAmps !== undefined && rootOther) {
    const floorAmps =
      policy.budget.unit === 'A' ? policy.budget.min : (policy.budget.min * 1000) / (3 * site.nominalVolts);
    for (const p of PHASES) {
      const headroom = Math.max(
        floorAmps,
        dynamic.gridLimitAmps - rootOther[p] - rootBand[p] - dynamic.safetyMarginAmps,
      );
      capacity[layout.gridLimitBase + p] = stepsDown(headroom, step);
    }
  }
  reserveIdlePhases(topology, layout, demand, capacity);
  return {
    capacity,
    circuitLimitAmps,
    otherLoadAmps,
    meter,
    budget: {
      unit: policy.budget.unit,
      value,
      source: source satisfies BudgetSource,
      ...(chargerPowerCapW !== undefined && { demandKw: Math.round(Math.max(0, chargerPowerCapW) / 100) / 10 }),
    },
  };
}

/**
 * Takes what offline chargers' defaults reserve beyond their cars' phases (`idleReservedSteps`) from every limit
 * above them: no connector of ours holds it, so no fill sees it otherwise.
 */
function reserveIdlePhases(
  topology: SiteTopology,
  layout: ConstraintLayout,
  demand: ConnectorDemand,
  capacity: Float64Array,
): void {
  topology.connectors.forEach((connector, i) => {
    const steps = i32(demand.idleReservedSteps, i);
    const charger = topology.chargers[connector.chargerIndex];
    if (steps === 0 || charger === undefined) return;
    for (const p of charger.gridPhases.slice(0, charger.phases)) {
      if (u8(demand.phaseMask, i) & (1 << p)) continue;
      for (const c of charger.circuitPath) addAt(capacity, c * 3 + p, -steps);
      if (charger.node >= 0) addAt(capacity, layout.chargerBase + charger.node * 3 + p, -steps);
      addAt(capacity, layout.budgetPhaseBase + p, -steps);
      addAt(capacity, layout.budgetPower, -steps);
      addAt(capacity, layout.gridLimitBase + p, -steps);
    }
  });
}

/** Our chargers' own draw under each circuit, per grid phase, to tell other consumers' load from the meter. */
function ownDrawPerCircuit(topology: SiteTopology, demand: ConnectorDemand): PhaseAmps[] {
  const perCharger = new Float64Array(topology.chargers.length * 3);
  const chargerOf = topology.chargerOfConnector;
  for (let i = 0; i < demand.n; i++)
    for (let p = 0; p < 3; p++) addAt(perCharger, i32(chargerOf, i) * 3 + p, f64(demand.ownDrawAmps, 3 * i + p));
  const sums = sumPerCircuit(topology, perCharger);
  return topology.circuitIds.map((_, c): PhaseAmps => [f64(sums, c * 3), f64(sums, c * 3 + 1), f64(sums, c * 3 + 2)]);
}
