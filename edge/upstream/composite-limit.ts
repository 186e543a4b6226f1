/**
 * The rule that combines the site's allocation with the operator's CSMS: a charger gets the lowest of our allocation,
 * the CSMS's limit at that time and the charger's maximum, so the CSMS can lower a charger but never raise it above
 * what the site allows.
 */
import type { LeaseRequest } from '../control/control-ports';
import type { CeilingAmps } from './csms-stack';

export interface LimitInputs {
  /** Our allocation (0, or at least `minAmps`). */
  readonly siteAmps: number;
  /** The CSMS's limit in amps per phase, when it sets one. */
  readonly csmsAmps: number | undefined;
  /** The charger's (connector's) rated maximum, when known. */
  readonly chargerMaxAmps: number | undefined;
  /** The lowest current a car charges at: a lower limit is sent as 0 (pause), never as a current the car cannot use. */
  readonly minAmps: number;
}

/** Amps per phase a charger gets: min(site, CSMS, charger maximum), or 0 when that is below the car's minimum. */
export function limitInForce(inputs: LimitInputs): number {
  const amps = Math.min(
    inputs.siteAmps,
    inputs.csmsAmps ?? Number.POSITIVE_INFINITY,
    inputs.chargerMaxAmps ?? Number.POSITIVE_INFINITY,
  );
  return amps < inputs.minAmps ? 0 : amps;
}

/**
 * A lease capped by the CSMS's lowest limit over the lease (the allocation already holds the charger's maximum): fewer
 * amps when the CSMS allows fewer, fewer phases when its schedule allows fewer. Without a ceiling the lease is unchanged.
 */
export function capLease(lease: LeaseRequest, ceiling: CeilingAmps | undefined): LeaseRequest {
  if (ceiling === undefined) return lease;
  return {
    ...lease,
    amps: limitInForce({
      siteAmps: lease.amps,
      csmsAmps: ceiling.amps,
      chargerMaxAmps: undefined,
      minAmps: lease.minAmps,
    }),
    phases: Math.min(lease.phases, ceiling.phases) as 1 | 2 | 3,
  };
}
