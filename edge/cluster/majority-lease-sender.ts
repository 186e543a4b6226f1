/**
 * The two-gateway rule at the moment a lease leaves (docs/cluster.md, "The two-gateway rule"): the allocation's
 * ceilings (majority-ceilings.ts) decide a round's leases when the round starts, but its raises go out only once its
 * cuts are answered, which can take up to the command timeout (a charger that answers late, or a socket left
 * half-open by a charger that moved). A majority lost meanwhile must not let a raise decided before it leave after it,
 * so each lease above the fail-safe asks again, right before it goes to the charger, and is not sent when this node no
 * longer may exceed: to the control loop the charger is then out of reach from here (`notConnected`), and its next
 * round, capped, sends the fail-safe. Leases at or below the fail-safe, cuts included, always go out.
 */
import type { LeaseOutcome, LeaseRequest, LeaseSender } from '../control/control-ports';

export interface MajorityLeaseSenderDeps {
  /** Whether this node holds its majority now, held for the hold (`MajorityCeilings.mayExceed`, which counts again). */
  mayExceed(): boolean;
  /** The fail-safe current per phase (the policy's). */
  failSafeAmps(): number;
}

export class MajorityLeaseSender implements LeaseSender {
  constructor(
    private readonly inner: LeaseSender,
    private readonly deps: MajorityLeaseSenderDeps,
  ) {}

  sendLease(chargerId: string, request: LeaseRequest): Promise<LeaseOutcome> {
    if (request.amps > this.deps.failSafeAmps() && !this.deps.mayExceed())
      return Promise.resolve({ kind: 'notConnected' });
    return this.inner.sendLease(chargerId, request);
  }

  sendIdleHold(chargerId: string, holdSeconds: number): Promise<LeaseOutcome> {
    return this.inner.sendIdleHold(chargerId, holdSeconds);
  }

  requestMeterValues(chargerId: string, connectorId: number): Promise<void> {
    return this.inner.requestMeterValues(chargerId, connectorId);
  }

  restored(chargerId: string, lease: LeaseRequest, expiresAt: number): void {
    this.inner.restored?.(chargerId, lease, expiresAt);
  }
}
