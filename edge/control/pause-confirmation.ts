/**
 * Pauses wait for a sudden rise of other load to last: while it is unconfirmed, a car that was charging and that only
 * this rise would pause runs at its minimum instead, and every other car is cut at once to what is left beside those
 * minimums. A car starting to draw looks exactly like building load until its charger reports it, and a pause holds a
 * car for `minPauseSeconds`.
 */
import type { Allocation, ConnectorAllocation, SiteSnapshot } from '../../shared/allocation/allocation-types';
import type { SiteTopology } from '../../shared/allocation/site-topology';

/** Connectors `allocation` pauses for lack of budget that were charging in `previous`. */
export function newlyPaused(allocation: Allocation, previous: Allocation | undefined): number[] {
  if (previous === undefined) return [];
  const out: number[] = [];
  allocation.connectors.forEach((a, i) => {
    const before = previous.connectors[i];
    if (
      a.activity === 'paused' &&
      a.reason === 'pausedNoBudget' &&
      before?.ref === a.ref &&
      before.activity === 'active'
    )
      out.push(i);
  });
  return out;
}

/**
 * The cars to hold at their minimum while a rise is unconfirmed, and the allocation of the others beside them.
 * `allocateHolding` allocates with the given connectors reserved at their minimum (as chargers we do not control); a
 * car that allocation pauses in turn, and that `unpaused` keeps charging, is held too, until none is. Each round holds
 * at least one more car, so this ends.
 */
export function holdPauses(
  allocation: Allocation,
  unpaused: Allocation,
  previous: Allocation,
  allocateHolding: (held: readonly number[]) => Allocation,
): { readonly allocation: Allocation; readonly held: readonly number[] } {
  const holdable = (a: Allocation, held: readonly number[]) =>
    newlyPaused(a, previous).filter((i) => unpaused.connectors[i]?.activity === 'active' && !held.includes(i));
  let held = holdable(allocation, []);
  let beside = allocation;
  while (held.length > 0) {
    beside = allocateHolding(held);
    const more = holdable(beside, held);
    if (more.length === 0) break;
    held = [...held, ...more];
  }
  return { allocation: beside, held };
}

/** `snapshot` with each connector of `held` reserved at its minimum, as a charger we do not control is at what it enforces. */
export function reservingMinimum(
  snapshot: SiteSnapshot,
  held: readonly number[],
  topology: SiteTopology,
): SiteSnapshot {
  const refs = new Map(held.map((i) => [topology.connectors[i]!.ref, topology.connectors[i]!.minAmps]));
  return {
    ...snapshot,
    connectors: snapshot.connectors.map((c) =>
      refs.has(c.ref) ? { ...c, link: 'unresponsive', enforcedAmps: refs.get(c.ref)! } : c,
    ),
  };
}

/**
 * `allocation` with each of `candidates` that `unpaused` (the allocation without the unconfirmed rise) keeps charging
 * held at its minimum, its activity and times carried on from `previous`.
 */
export function deferPauses(
  allocation: Allocation,
  unpaused: Allocation,
  previous: Allocation,
  candidates: readonly number[],
  topology: SiteTopology,
  now: number,
): Allocation {
  let connectors: ConnectorAllocation[] | undefined;
  for (const i of candidates) {
    if (unpaused.connectors[i]?.activity !== 'active') continue;
    const a = allocation.connectors[i]!;
    const before = previous.connectors[i]!;
    const amps = topology.connectors[i]!.minAmps;
    const charger = topology.chargers[topology.connectors[i]!.chargerIndex]!;
    const phaseAmps: [number, number, number] = [0, 0, 0];
    for (let k = 0; k < before.phases; k++) phaseAmps[charger.gridPhases[k]!] = amps;
    connectors ??= [...allocation.connectors];
    connectors[i] = {
      ...a,
      amps,
      phaseAmps,
      phases: before.phases,
      activity: 'active',
      reason: 'pausedNoBudget',
      since: before.since,
      changedAt: before.amps === amps ? before.changedAt : now,
      boundBy: 'pauseUnconfirmed',
    };
  }
  return connectors === undefined ? allocation : { ...allocation, connectors };
}
