/**
 * Pauses wait for a sudden rise of other load to last: while it is unconfirmed, a car that was charging and that only
 * this rise would pause runs at its minimum instead (every other cut goes out at once). A car starting to draw looks
 * exactly like building load until its charger reports it, and a pause holds a car for `minPauseSeconds`.
 */
import type { Allocation, ConnectorAllocation } from '../../shared/allocation/allocation-types';
import type { SiteTopology } from '../../shared/allocation/site-topology';

/** Connectors `allocation` pauses for lack of budget that were charging in `previous`. */
export function newlyPaused(allocation: Allocation, previous: Allocation | undefined): number[] {
  if (previous === undefined) return [];
  const out: number[] = [];
  allocation.connectors.forEach((a, i) => {
    const before = previous.connectors[i];
    if (a.activity === 'paused' && a.reason === 'pausedNoBudget' && before?.ref === a.ref && before.activity === 'active') out.push(i);
  });
  return out;
}

/**
 * `allocation` with each of `candidates` that `unpaused` (the allocation without the unconfirmed rise) keeps charging
 * held at its minimum, its activity and times carried on from `previous`.
 */
export function deferPauses(allocation: Allocation, unpaused: Allocation, previous: Allocation, candidates: readonly number[], topology: SiteTopology, now: number): Allocation {
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
    connectors[i] = { ...a, amps, phaseAmps, phases: before.phases, activity: 'active', since: before.since, changedAt: before.amps === amps ? before.changedAt : now, boundBy: 'pauseUnconfirmed' };
  }
  return connectors === undefined ? allocation : { ...allocation, connectors };
}
