/**
 * The CSMS's limit on one connector at an instant, by OCPP 1.6 stacking (§3.13): per purpose, the valid profile with the
 * highest stack level whose schedule covers the instant prevails; a TxProfile for the running transaction overrides the
 * TxDefaultProfile; the ChargePointMaxProfile caps the whole charger. Limits are turned into amps per phase.
 */
import { ampsFromWatts } from '../../shared/units';
import type { StoredProfile } from './csms-profile-schema';
import { nextBoundary, periodAt, type PeriodInForce } from './csms-schedule';

/** A limit in amps per phase and the phases it allows. */
export interface CeilingAmps {
  readonly amps: number;
  readonly phases: 1 | 2 | 3;
}

/** The running transaction on a connector, as far as the CSMS's profiles are concerned. */
export interface RunningTransaction {
  readonly transactionId: number;
  readonly startedAt: number;
}

export interface StackContext {
  /** The connector asked about; 0 asks about the whole charger (its ChargePointMaxProfile). */
  readonly connectorId: number;
  readonly transaction: RunningTransaction | undefined;
  /** Phases the car charges on (the lease's): a `W` limit is shared over these. */
  readonly phases: 1 | 2 | 3;
  readonly nominalVolts: number;
  /** Where Relative schedules start when no transaction runs: the start of the window asked about. */
  readonly origin: number;
}

/** Higher stack level first; on a tie, a profile for the connector itself before one for the whole charger. */
function byPrecedence(a: StoredProfile, b: StoredProfile): number {
  return b.profile.stackLevel - a.profile.stackLevel || b.connectorId - a.connectorId;
}

/** The profiles of each purpose that apply to the context's connector and transaction, in order of precedence. */
export function applicableStacks(profiles: readonly StoredProfile[], context: StackContext) {
  const { connectorId, transaction } = context;
  const of = (keep: (s: StoredProfile) => boolean) => profiles.filter(keep).sort(byPrecedence);
  return {
    max: of((s) => s.profile.chargingProfilePurpose === 'ChargePointMaxProfile'),
    txDefault: of(
      (s) =>
        connectorId > 0 &&
        s.profile.chargingProfilePurpose === 'TxDefaultProfile' &&
        (s.connectorId === 0 || s.connectorId === connectorId),
    ),
    tx: of(
      (s) =>
        transaction !== undefined &&
        s.profile.chargingProfilePurpose === 'TxProfile' &&
        s.connectorId === connectorId &&
        (s.profile.transactionId === undefined || s.profile.transactionId === transaction.transactionId),
    ),
  };
}
export type ApplicableStacks = ReturnType<typeof applicableStacks>;

function prevailing(stack: readonly StoredProfile[], at: number, sessionStart: number): PeriodInForce | undefined {
  for (const { profile } of stack) {
    const period = periodAt(profile, at, sessionStart);
    if (period) return period;
  }
  return undefined;
}

/**
 * A period's limit in amps per phase. Phases are the car's, lowered to the period's `numberPhases` when that is fewer;
 * watts become amps as W / (nominal volts x phases), the inverse of how a lease in `W` is built, so the car's total power
 * stays within the CSMS's watts on however many of those phases it draws.
 */
function toAmps(period: PeriodInForce, context: StackContext): CeilingAmps {
  const phases = Math.min(context.phases, period.numberPhases ?? 3) as 1 | 2 | 3;
  const amps = period.unit === 'A' ? period.limit : ampsFromWatts(period.limit, phases, context.nominalVolts);
  return { amps, phases };
}

/** The lower of two ceilings (either may be absent): fewer amps, and fewer phases. */
export function lowerCeiling(a: CeilingAmps | undefined, b: CeilingAmps | undefined): CeilingAmps | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return { amps: Math.min(a.amps, b.amps), phases: Math.min(a.phases, b.phases) as 1 | 2 | 3 };
}

/** The CSMS's limit in force at `at`, or undefined when none of its profiles covers that instant. */
export function ceilingAt(stacks: ApplicableStacks, context: StackContext, at: number): CeilingAmps | undefined {
  const sessionStart = context.transaction?.startedAt ?? context.origin;
  const txPeriod = prevailing(stacks.tx, at, sessionStart) ?? prevailing(stacks.txDefault, at, sessionStart);
  const maxPeriod = prevailing(stacks.max, at, sessionStart);
  return lowerCeiling(txPeriod && toAmps(txPeriod, context), maxPeriod && toAmps(maxPeriod, context));
}

/** The first instant after `at` at which any applicable profile may change what is in force. */
export function nextStackBoundary(stacks: ApplicableStacks, context: StackContext, at: number): number | undefined {
  const sessionStart = context.transaction?.startedAt ?? context.origin;
  let next: number | undefined;
  for (const { profile } of [...stacks.max, ...stacks.txDefault, ...stacks.tx]) {
    const boundary = nextBoundary(profile, at, sessionStart);
    if (boundary !== undefined && (next === undefined || boundary < next)) next = boundary;
  }
  return next;
}

/** A limit that holds from `at` until the next step (or the end of the window). */
export interface CeilingStep {
  readonly at: number;
  readonly ceiling: CeilingAmps | undefined;
}

function sameCeiling(a: CeilingAmps | undefined, b: CeilingAmps | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.amps === b.amps && a.phases === b.phases);
}

/** The CSMS's limit over [from, to) as steps, the first at `from`, one more each time the limit changes. */
export function ceilingSteps(stacks: ApplicableStacks, context: StackContext, from: number, to: number): CeilingStep[] {
  const steps: CeilingStep[] = [];
  for (let at: number | undefined = from; at !== undefined && at < to; at = nextStackBoundary(stacks, context, at)) {
    const ceiling = ceilingAt(stacks, context, at);
    const last = steps.at(-1);
    if (last === undefined || !sameCeiling(last.ceiling, ceiling)) steps.push({ at, ceiling });
  }
  return steps;
}
