/**
 * Pauses a booting charger's reservation made. A charger that booted for real is reserved at its maximum until its
 * fail-safe default is confirmed (reason `unconfigured`, docs/control-loop.md "Reservations"), and a car that no longer
 * fits at its minimum beside it is paused. That reservation ends a round trip or a few later, by no decision of ours,
 * so the pause is marked (`BOOT_RESERVATION`) and the car may charge again as soon as there is room, without sitting
 * out `minPauseSeconds`, as a car the lost meter's fallback paused: one boot must not cost a car a minute. A pause that
 * began before the boot keeps its minimum; a free one (held by the raise gate, or marked) stays free while it lasts.
 */
import {
  BOOT_RESERVATION,
  RAISE_GATE,
  type Allocation,
  type ConnectorAllocation,
} from '../../shared/allocation/allocation-types';

/** `allocation` with the pauses a booting charger's reservation made marked free to end; itself when there are none. */
export function markBootPauses(allocation: Allocation, previous: Allocation | undefined): Allocation {
  if (!allocation.connectors.some((a) => a.reason === 'unconfigured')) return allocation;
  const before = new Map<string, ConnectorAllocation>(previous?.connectors.map((a) => [a.ref, a]));
  let marked = false;
  const connectors = allocation.connectors.map((a) => {
    if (a.activity !== 'paused' || a.reason !== 'pausedNoBudget' || a.boundBy === RAISE_GATE) return a;
    const prev = before.get(a.ref);
    const ownPause = prev?.activity === 'paused' && prev.boundBy !== RAISE_GATE && prev.boundBy !== BOOT_RESERVATION;
    if (ownPause) return a;
    marked = true;
    return { ...a, boundBy: BOOT_RESERVATION };
  });
  return marked ? { ...allocation, connectors } : allocation;
}
