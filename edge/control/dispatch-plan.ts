/** Pure dispatch planning: which leases to send, split into decreases (first) and increases (after the decreases hold). */
import type { LinkState } from '../../shared/site/site-state';
import type { AppliedLimit } from './control-ports';

/** What one connector with a running transaction should hold. */
export interface LeaseTarget {
  readonly ref: string;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly transactionId: number;
  readonly amps: number;
  readonly phases: 1 | 2 | 3;
  readonly minAmps: number;
  readonly link: LinkState;
  /** What the charger allows without a lease: its fail-safe default, or its own maximum when it refused that. */
  readonly unleasedAmps: number;
  /**
   * The lease's tail: the fail-safe, never more. Not `unleasedAmps`: a charger that just booted counts at its maximum
   * until its fail-safe is confirmed, and a lease sent in that window with its maximum as the tail overrode the
   * fail-safe default (a TxProfile above the default) once the lease ran out.
   */
  readonly failSafeAmps: number;
}

export type LeaseChange = 'decrease' | 'increase' | 'renewal';

export interface LeaseOrder extends LeaseTarget {
  readonly change: LeaseChange;
  /** True for decreases that must hold before any increase goes out. */
  readonly gating: boolean;
}

export interface DispatchPlan {
  /** Decreases and renewals: sent at once. */
  readonly first: readonly LeaseOrder[];
  /** Increases: sent only once every gating order of `first` was accepted. */
  readonly second: readonly LeaseOrder[];
}

/**
 * The limit a charger enforces now: its lease while valid for this transaction, else what it holds without one. A lease
 * `unconfirmed` since the charger reconnected may have been lost with a restart: the higher of the two.
 */
export function enforcedAmps(
  target: Pick<LeaseTarget, 'transactionId' | 'unleasedAmps'>,
  accepted: AppliedLimit | undefined,
  now: number,
  unconfirmed = false,
): number {
  if (accepted === undefined || accepted.transactionId !== target.transactionId || accepted.expiresAt <= now)
    return target.unleasedAmps;
  return unconfirmed ? Math.max(accepted.amps, target.unleasedAmps) : accepted.amps;
}

/**
 * Compares each target with what its charger enforces. A lease that is due for renewal, unconfirmed since the charger
 * reconnected, or missing while the target equals what the charger holds anyway, is renewed. Unresponsive chargers are
 * probed every round their back-off allows, never raised: their enforced limit is what the allocator reserved for them.
 */
export function planDispatch(
  targets: readonly LeaseTarget[],
  acceptedOf: (ref: string) => AppliedLimit | undefined,
  unconfirmed: (ref: string) => boolean,
  now: number,
  renewBeforeMs: number,
): DispatchPlan {
  const first: LeaseOrder[] = [];
  const second: LeaseOrder[] = [];
  for (const target of targets) {
    if (target.link === 'offline') continue;
    const accepted = acceptedOf(target.ref);
    const doubt = unconfirmed(target.ref);
    const enforced = enforcedAmps(target, accepted, now, doubt);
    const leased =
      !doubt && accepted !== undefined && accepted.transactionId === target.transactionId && accepted.expiresAt > now;
    const amps = target.link === 'unresponsive' ? Math.min(target.amps, enforced) : target.amps;
    if (amps < enforced) {
      first.push({ ...target, amps, change: 'decrease', gating: target.link === 'online' });
    } else if (amps > enforced) {
      second.push({ ...target, amps, change: 'increase', gating: false });
    } else if (
      target.link === 'unresponsive' ||
      !leased ||
      accepted.expiresAt - now <= renewBeforeMs ||
      accepted.phases !== target.phases
    ) {
      first.push({ ...target, amps, change: 'renewal', gating: false });
    }
  }
  return { first, second };
}
