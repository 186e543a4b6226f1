/**
 * GetCompositeSchedule from the operator's CSMS answered by the agent: the charger knows only our lease (the CSMS's
 * TxProfiles and TxDefaultProfiles never reach it), so the agent tells what is really in force on a connector: the
 * lowest of our lease (then our fail-safe), the CSMS's stack and the connector's maximum (composite-schedule.ts).
 */
import type { Site } from '../../shared/site/site-schema';
import { COMMANDS } from '../ocpp/central-system-commands';
import type { Clock } from '../platform/clock';
import { compositeSchedule } from './composite-schedule';
import type { CsmsLimits } from './csms-limits';

/** The asked window is bounded: a week is more than any charger schedules ahead. */
const MAX_DURATION_SECONDS = 7 * 24 * 3600;

/** The site's share a connector's accepted lease carries (before the CSMS's cap), and until when. */
export interface LeaseInForce {
  readonly amps: number;
  readonly phases: 1 | 2 | 3;
  readonly expiresAt: number;
}

export interface CompositeAnswersDeps {
  /** The site in force (with adopted connectors). */
  readonly site: () => Site;
  readonly csms: Pick<CsmsLimits, 'ceilingSteps'>;
  readonly leaseInForce: (chargerId: string, connectorId: number, now: number) => LeaseInForce | undefined;
  /**
   * What a charger allows a car without a lease: its fail-safe default, or, for a charger that refused the fail-safe
   * profile, its own maximum (undefined).
   */
  readonly unleasedAmps: (chargerId: string) => number | undefined;
  readonly nominalVolts: number;
  readonly clock: Clock;
}

export class CompositeAnswers {
  constructor(private readonly deps: CompositeAnswersDeps) {}

  /**
   * The answer for a connector of the site; undefined (the charger answers) for connector 0, whose composite the
   * charger computes from the CSMS's ChargePointMaxProfile and our leases, both of which it holds.
   */
  answer(chargerId: string, payload: unknown): Record<string, unknown> | undefined {
    const parsed = COMMANDS.GetCompositeSchedule.request.safeParse(payload);
    if (!parsed.success || parsed.data.connectorId === 0) return undefined;
    const { connectorId, chargingRateUnit } = parsed.data;
    const charger = this.deps.site().chargers.find((c) => c.id === chargerId);
    const connector = charger?.connectors.find((c) => c.id === connectorId);
    if (charger === undefined || connector === undefined) return { status: 'Rejected' };
    const from = this.deps.clock.now();
    const durationSeconds = Math.min(parsed.data.duration, MAX_DURATION_SECONDS);
    const lease = this.deps.leaseInForce(chargerId, connectorId, from);
    const chargerMaxAmps = Math.min(connector.maxAmps ?? charger.maxAmps, charger.maxAmps);
    const failSafe = { at: from, amps: this.deps.unleasedAmps(chargerId) ?? chargerMaxAmps };
    const ours = lease
      ? [
          { at: from, amps: lease.amps },
          { ...failSafe, at: lease.expiresAt },
        ]
      : [failSafe];
    const phases = lease?.phases ?? charger.phases;
    return compositeSchedule({
      connectorId,
      from,
      durationSeconds,
      chargingRateUnit: chargingRateUnit ?? 'A',
      ours,
      csms: this.deps.csms.ceilingSteps(chargerId, connectorId, phases, from, from + durationSeconds * 1000),
      chargerMaxAmps,
      phases,
      minAmps: connector.minAmps ?? charger.minAmps,
      nominalVolts: this.deps.nominalVolts,
    });
  }
}
