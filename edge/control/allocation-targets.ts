/** Pure glue between an allocation and the dispatcher: lease targets, reserved limits, changes and meter transitions. */
import type { Allocation } from '../../shared/allocation/allocation-types';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Charger } from '../../shared/site/site-schema';
import type { LeaseTarget } from './dispatch-plan';
import type { SiteRuntime } from './site-runtime';

/** The limit each connector with a running transaction should hold. */
export function leaseTargets(
  allocation: Allocation,
  runtime: SiteRuntime,
  chargers: ReadonlyMap<string, Charger>,
  policy: Policy,
): LeaseTarget[] {
  const targets: LeaseTarget[] = [];
  for (const a of allocation.connectors) {
    const session = runtime.sessionByRef(a.ref);
    const charger = chargers.get(a.chargerId);
    const link = runtime.link(a.chargerId);
    if (session === undefined || charger === undefined || link === undefined) continue;
    const connector = charger.connectors.find((c) => c.id === a.connectorId);
    targets.push({
      ref: a.ref,
      chargerId: a.chargerId,
      connectorId: a.connectorId,
      transactionId: session.transactionId,
      amps: a.amps,
      phases: a.phases,
      minAmps: connector?.minAmps ?? charger.minAmps,
      link,
      unleasedAmps: unleasedAmps(charger, runtime.failSafeInstalled(a.chargerId), policy),
      failSafeAmps: unleasedAmps(charger, true, policy),
    });
  }
  return targets;
}

/**
 * What a running transaction holds without a lease in force: its fail-safe default (the tail of every lease, and the
 * default profile), or the charger's own maximum when it refused the default and never accepted a lease.
 */
export function unleasedAmps(charger: Charger, failSafeInstalled: boolean, policy: Policy): number {
  return failSafeInstalled ? Math.min(policy.failSafe.connectorAmps, charger.maxAmps) : charger.maxAmps;
}

/** True when any connector's limit, activity or reason differs. */
export function allocationChanged(before: Allocation | undefined, after: Allocation): boolean {
  if (before === undefined || before.connectors.length !== after.connectors.length) return true;
  return after.connectors.some((a, i) => {
    const b = before.connectors[i]!;
    return b.ref !== a.ref || b.amps !== a.amps || b.activity !== a.activity || b.reason !== a.reason;
  });
}

export interface MeterTransition {
  readonly circuitId: string;
  readonly lost: boolean;
}

/** Circuits whose meter was lost or came back between two allocations. */
export function meterTransitions(before: Allocation | undefined, after: Allocation): MeterTransition[] {
  const previous = new Map(before?.circuits.map((c) => [c.id, c.meter]));
  const out: MeterTransition[] = [];
  for (const circuit of after.circuits) {
    const was = previous.get(circuit.id) ?? 'ok';
    if (circuit.meter === 'lost' && was !== 'lost') out.push({ circuitId: circuit.id, lost: true });
    if (circuit.meter === 'ok' && was === 'lost') out.push({ circuitId: circuit.id, lost: false });
  }
  return out;
}
