/**
 * Independent checks of an allocation against the site, policy and measurements: every limit recomputed here
 * from the inputs, not taken from the allocator's own report.
 */
import type { Allocation, ConnectorAllocation, SiteSnapshot } from '../../shared/allocation/allocation-types';
import { activeBudget } from '../../shared/policy/budget-schedule';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Charger, ConnectorConfig } from '../../shared/site/site-schema';

const EPS = 1e-6;

export interface LimitCheck {
  readonly name: string;
  /** What one connector's allocation uses of this limit (amps on a phase, or watts). */
  readonly usage: (a: ConnectorAllocation) => number;
  readonly members: readonly ConnectorAllocation[];
  readonly capacity: number;
  /** The grid phase this limit is on, for per-phase limits. */
  readonly phase?: number;
}

/** Every limit that must hold, with the connectors under it. */
export function limitsOf(snapshot: SiteSnapshot, policy: Policy, allocation: Allocation, now: number): LimitCheck[] {
  const { site } = snapshot;
  const checks: LimitCheck[] = [];
  const parent = new Map(site.circuits.map((c) => [c.id, c.parent]));
  const chargerById = new Map(site.chargers.map((c) => [c.id, c]));
  const underCircuit = (a: ConnectorAllocation, circuitId: string) => {
    let at: string | null | undefined = chargerById.get(a.chargerId)!.circuit;
    while (at) {
      if (at === circuitId) return true;
      at = parent.get(at);
    }
    return false;
  };
  const onPhase = (p: number) => (a: ConnectorAllocation) => a.phaseAmps[p as 0 | 1 | 2];
  const control = policy.control;
  for (const circuit of site.circuits) {
    const fuse =
      typeof circuit.fuseAmps === 'number' ? [circuit.fuseAmps, circuit.fuseAmps, circuit.fuseAmps] : circuit.fuseAmps;
    const members = allocation.connectors.filter((a) => underCircuit(a, circuit.id));
    const reading =
      circuit.meterId === undefined ? undefined : snapshot.meters.find((m) => m.meterId === circuit.meterId);
    for (let p = 0; p < 3; p++) {
      let capacity = fuse[p]!;
      if (control.mode === 'dynamic' && circuit.meterId !== undefined) {
        const fresh =
          reading !== undefined &&
          reading.valid &&
          now - reading.at <= control.staleMeter.afterSeconds * 1000 &&
          reading.at <= now;
        // With no previous allocation none of our own draw is subtracted: the whole reading counts as other load.
        if (!fresh) capacity = Math.min(capacity, control.staleMeter.fallbackAmps);
        else if (!snapshot.previous) capacity = Math.max(0, capacity - reading.amps[p]! - control.safetyMarginAmps);
      }
      checks.push({ name: `circuit ${circuit.id} L${p + 1}`, usage: onPhase(p), members, capacity, phase: p });
    }
  }
  for (const charger of site.chargers) {
    const members = allocation.connectors.filter((a) => a.chargerId === charger.id);
    for (let p = 0; p < 3; p++)
      checks.push({
        name: `charger ${charger.id} L${p + 1}`,
        usage: onPhase(p),
        members,
        capacity: charger.maxAmps,
        phase: p,
      });
  }
  const root = site.circuits.find((c) => c.parent === null)!;
  const rootReading = snapshot.meters.find((m) => m.meterId === root.meterId);
  if (
    control.mode === 'dynamic' &&
    control.gridLimitAmps !== undefined &&
    rootReading?.valid &&
    now - rootReading.at <= control.staleMeter.afterSeconds * 1000 &&
    !snapshot.previous
  ) {
    const floor = policy.budget.unit === 'A' ? policy.budget.min : (policy.budget.min * 1000) / (3 * site.nominalVolts);
    for (let p = 0; p < 3; p++) {
      const capacity = Math.max(floor, control.gridLimitAmps - rootReading.amps[p]! - control.safetyMarginAmps);
      checks.push({
        name: `grid limit L${p + 1}`,
        usage: onPhase(p),
        members: allocation.connectors,
        capacity,
        phase: p,
      });
    }
  }
  const budget = activeBudget(policy, now, site.timezone).value;
  if (policy.budget.unit === 'A') {
    for (let p = 0; p < 3; p++)
      checks.push({
        name: `budget L${p + 1}`,
        usage: onPhase(p),
        members: allocation.connectors,
        capacity: budget,
        phase: p,
      });
  } else {
    const watts = (a: ConnectorAllocation) =>
      a.phaseAmps[0] * site.nominalVolts + a.phaseAmps[1] * site.nominalVolts + a.phaseAmps[2] * site.nominalVolts;
    checks.push({ name: 'budget kW', usage: watts, members: allocation.connectors, capacity: budget * 1000 });
  }
  return checks;
}

/** What the members of a limit use of it together. */
export function usageOf(check: LimitCheck): number {
  let sum = 0;
  for (const a of check.members) sum += check.usage(a);
  return sum;
}

/** Grid phases (bit mask) a connector's car must be charged on: the charger's wiring and the car's phase count. */
export function expectedPhaseMask(snapshot: SiteSnapshot, policy: Policy, ref: string, now: number): number {
  const [chargerId] = ref.split('/');
  const charger = snapshot.site.chargers.find((c) => c.id === chargerId)!;
  const session = snapshot.connectors.find((c) => c.ref === ref)?.session;
  const measured =
    session?.measured && now - session.measured.at <= policy.measurementMaxAgeSeconds * 1000
      ? session.measured
      : undefined;
  // A measurement tells the phase count only once its highest phase carries 3 A (below, the car is starting or trickling).
  const detected = measured && Math.max(...measured.amps) >= 3 ? measured.amps.filter((amps) => amps >= 1).length : 0;
  const carPhases = Math.min(session?.carPhases ?? (detected || 3), charger.phases);
  let mask = 0;
  for (let k = 0; k < carPhases; k++) mask |= 1 << (Number(charger.phaseRotation.charAt(2 * k + 1)) - 1);
  return mask;
}

/** Violations of the safety rules: limits exceeded, amps between 0 and the minimum, above the maximum. */
export function safetyViolations(
  snapshot: SiteSnapshot,
  policy: Policy,
  allocation: Allocation,
  now: number,
): string[] {
  const out: string[] = [];
  for (const check of limitsOf(snapshot, policy, allocation, now)) {
    const used = usageOf(check);
    // Offline and unresponsive chargers are outside our control: their reservation alone may exceed a limit,
    // and then nothing we control may add to it.
    const controlled = check.members.some(
      (a) => a.reason !== 'offline' && a.reason !== 'unresponsive' && check.usage(a) > 0,
    );
    if (used > check.capacity + EPS && controlled) out.push(`${check.name}: ${used} > ${check.capacity}`);
  }
  const connectorConfig = new Map<string, { ch: Charger; c: ConnectorConfig }>();
  for (const ch of snapshot.site.chargers)
    for (const c of ch.connectors) connectorConfig.set(`${ch.id}/${c.id}`, { ch, c });
  for (const a of allocation.connectors) {
    if (a.reason === 'offline' || a.reason === 'unresponsive') continue;
    const { ch, c } = connectorConfig.get(a.ref)!;
    const min = c.minAmps ?? ch.minAmps;
    const max = Math.min(c.maxAmps ?? ch.maxAmps, ch.maxAmps);
    if (a.amps > 0 && a.amps < min - EPS) out.push(`${a.ref}: ${a.amps} A is below its minimum ${min} A`);
    if (a.amps > max + EPS) out.push(`${a.ref}: ${a.amps} A is above its maximum ${max} A`);
    const mask = (a.phaseAmps[0] > 0 ? 1 : 0) | (a.phaseAmps[1] > 0 ? 2 : 0) | (a.phaseAmps[2] > 0 ? 4 : 0);
    if (a.amps > 0 && mask !== expectedPhaseMask(snapshot, policy, a.ref, now))
      out.push(`${a.ref}: charged on the wrong grid phases (mask ${mask})`);
  }
  out.push(...imbalanceViolations(snapshot, policy, allocation, now));
  return out;
}

/** The phase-imbalance limit: exceeded only where a controlled 1- or 2-phase car still charges on the heaviest phase. */
function imbalanceViolations(snapshot: SiteSnapshot, policy: Policy, allocation: Allocation, now: number): string[] {
  const maxAmps = policy.phaseImbalance.maxAmps;
  if (maxAmps === null) return [];
  // An offline charger's default reserved on the phases its car does not use is no car's load: it is left out.
  const carLoad = (a: ConnectorAllocation, p: number) =>
    a.reason === 'offline' && !(expectedPhaseMask(snapshot, policy, a.ref, now) & (1 << p))
      ? 0
      : a.phaseAmps[p as 0 | 1 | 2];
  const totals = [0, 1, 2].map((p) => allocation.connectors.reduce((sum, a) => sum + carLoad(a, p), 0));
  const heaviest = Math.max(...totals);
  const lightest = Math.min(...totals);
  const spread = heaviest - lightest;
  // Cutting a car that also loads the lightest phase cannot narrow the spread, and when two phases are the heaviest
  // (say one held up by offline chargers' reserved load), only cutting both can.
  const onLightest = (a: ConnectorAllocation) =>
    a.phaseAmps.some((amps, p) => amps > 0 && totals[p]! <= lightest + EPS);
  const cuttable = (p: number) =>
    allocation.connectors.some(
      (a) =>
        a.phases < 3 &&
        a.reason !== 'offline' &&
        a.reason !== 'unresponsive' &&
        a.phaseAmps[p as 0 | 1 | 2] > 0 &&
        !onLightest(a),
    );
  const fixable = [0, 1, 2].every((p) => totals[p]! < heaviest - EPS || cuttable(p));
  return spread > maxAmps + EPS && fixable ? [`phase imbalance ${spread} A > ${maxAmps} A`] : [];
}
