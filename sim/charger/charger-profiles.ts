/**
 * A charge point's own smart-charging store (OCPP 1.6 §3.13): profiles per connector, stack levels, TxDefault vs Tx,
 * validity and schedule duration, and the limit that results at any moment.
 */
import type { ClearRequest, SimProfile } from './charger-messages';

type Purpose = SimProfile['chargingProfilePurpose'];

interface Installed {
  readonly connectorId: number;
  readonly profile: SimProfile;
}

/** What a charger supports; profiles outside it are rejected. */
export interface ProfileLimits {
  readonly maxStackLevel: number;
  readonly rateUnits: readonly ('A' | 'W')[];
  readonly volts: number;
  readonly phases: 1 | 3;
}

/** The transaction running on a connector, which TxProfiles and Relative schedules refer to. */
export interface RunningTransaction {
  readonly connectorId: number;
  readonly transactionId: number;
  readonly startedAt: number;
}

export interface CompositePeriod {
  readonly startPeriod: number;
  readonly limit: number;
}

const DAY_MS = 86_400_000;

export class ChargerProfiles {
  private installed: Installed[] = [];

  constructor(private readonly limits: ProfileLimits) {}

  /** Installs a profile as SetChargingProfile does; a TxProfile needs a running transaction on its connector. */
  set(connectorId: number, profile: SimProfile, tx: RunningTransaction | undefined): 'Accepted' | 'Rejected' {
    const unit = profile.chargingSchedule.chargingRateUnit;
    if (profile.stackLevel > this.limits.maxStackLevel || !this.limits.rateUnits.includes(unit)) return 'Rejected';
    if (profile.chargingProfilePurpose === 'ChargePointMaxProfile' && connectorId !== 0) return 'Rejected';
    if (profile.chargingProfilePurpose === 'TxProfile') {
      const matches =
        tx !== undefined &&
        tx.connectorId === connectorId &&
        (profile.transactionId ?? tx.transactionId) === tx.transactionId;
      if (connectorId === 0 || !matches) return 'Rejected';
    }
    this.installed = this.installed.filter(
      (i) =>
        i.profile.chargingProfileId !== profile.chargingProfileId &&
        !(
          i.connectorId === connectorId &&
          i.profile.stackLevel === profile.stackLevel &&
          i.profile.chargingProfilePurpose === profile.chargingProfilePurpose
        ),
    );
    this.installed.push({ connectorId, profile });
    return 'Accepted';
  }

  /** Removes the profiles matching every given criterion, as ClearChargingProfile does. */
  clear(request: ClearRequest): 'Accepted' | 'Unknown' {
    const matches = (i: Installed) =>
      request.id !== undefined
        ? i.profile.chargingProfileId === request.id
        : (request.connectorId === undefined || i.connectorId === request.connectorId) &&
          (request.chargingProfilePurpose === undefined ||
            i.profile.chargingProfilePurpose === request.chargingProfilePurpose) &&
          (request.stackLevel === undefined || i.profile.stackLevel === request.stackLevel);
    const before = this.installed.length;
    this.installed = this.installed.filter((i) => !matches(i));
    return this.installed.length < before ? 'Accepted' : 'Unknown';
  }

  /** TxProfiles end with their transaction. */
  endTransaction(connectorId: number): void {
    this.installed = this.installed.filter(
      (i) => !(i.connectorId === connectorId && i.profile.chargingProfilePurpose === 'TxProfile'),
    );
  }

  count(): number {
    return this.installed.length;
  }

  /** The limit in amps per phase on `connectorId` at `now`, or undefined when no profile limits it. */
  limitAmpsAt(connectorId: number, now: number, tx: RunningTransaction | undefined): number | undefined {
    const tx0 = tx?.connectorId === connectorId ? tx : undefined;
    const txLimit = tx0 && this.stackLimit('TxProfile', [connectorId], now, tx0);
    const defaultLimit =
      this.stackLimit('TxDefaultProfile', [connectorId], now, tx0) ??
      this.stackLimit('TxDefaultProfile', [0], now, tx0);
    const chargerMax = this.stackLimit('ChargePointMaxProfile', [0], now, tx0);
    const limits = [txLimit ?? defaultLimit, chargerMax].filter((l): l is number => l !== undefined);
    return limits.length === 0 ? undefined : Math.min(...limits);
  }

  /** The limit over the next `durationSeconds`, as GetCompositeSchedule reports it (amps, periods relative to now). */
  composite(
    connectorId: number,
    now: number,
    durationSeconds: number,
    tx: RunningTransaction | undefined,
  ): CompositePeriod[] {
    const end = now + durationSeconds * 1000;
    const points = [now, ...this.boundaries(now, tx)].filter((t) => t >= now && t < end).sort((a, b) => a - b);
    const periods: CompositePeriod[] = [];
    for (const at of points) {
      const limit = this.limitAmpsAt(connectorId, at, tx);
      if (limit === undefined) continue;
      const rounded = Math.round(limit * 10) / 10;
      if (periods.at(-1)?.limit !== rounded)
        periods.push({ startPeriod: Math.round((at - now) / 1000), limit: rounded });
    }
    return periods;
  }

  /** The next moment after `now` at which the limit may change (a period start, a validity end, a schedule end). */
  nextChangeAfter(now: number, tx: RunningTransaction | undefined): number | undefined {
    return this.boundaries(now, tx)
      .filter((t) => t > now)
      .reduce<number | undefined>((a, t) => (a === undefined || t < a ? t : a), undefined);
  }

  private boundaries(now: number, tx: RunningTransaction | undefined): number[] {
    return this.installed.flatMap(({ profile }) => {
      const start = this.scheduleStart(profile, tx, now);
      const { duration, chargingSchedulePeriod } = profile.chargingSchedule;
      return [
        profile.validFrom,
        profile.validTo,
        start === undefined || duration === undefined ? undefined : start + duration * 1000,
        ...chargingSchedulePeriod.map((p) => (start === undefined ? undefined : start + p.startPeriod * 1000)),
      ].filter((t): t is number => t !== undefined);
    });
  }

  private stackLimit(
    purpose: Purpose,
    connectors: readonly number[],
    now: number,
    tx: RunningTransaction | undefined,
  ): number | undefined {
    const candidates = this.installed
      .filter((i) => i.profile.chargingProfilePurpose === purpose && connectors.includes(i.connectorId))
      .filter(({ profile }) => (profile.validFrom ?? -Infinity) <= now && now < (profile.validTo ?? Infinity))
      .sort((a, b) => b.profile.stackLevel - a.profile.stackLevel);
    for (const { profile } of candidates) {
      const limit = this.scheduleLimitAmps(profile, now, tx);
      if (limit !== undefined) return limit;
    }
    return undefined;
  }

  private scheduleStart(profile: SimProfile, tx: RunningTransaction | undefined, now: number): number | undefined {
    const schedule = profile.chargingSchedule;
    if (profile.chargingProfileKind === 'Relative') return tx?.startedAt;
    const start = schedule.startSchedule ?? profile.validFrom;
    if (profile.chargingProfileKind === 'Absolute' || start === undefined) return start;
    const cycle = profile.recurrencyKind === 'Weekly' ? 7 * DAY_MS : DAY_MS;
    return start + Math.floor((now - start) / cycle) * cycle;
  }

  /** The profile's limit at `now` in amps, or undefined when its schedule does not cover `now`. */
  private scheduleLimitAmps(profile: SimProfile, now: number, tx: RunningTransaction | undefined): number | undefined {
    const start = this.scheduleStart(profile, tx, now);
    if (start === undefined || now < start) return undefined;
    const elapsedSeconds = (now - start) / 1000;
    const schedule = profile.chargingSchedule;
    if (schedule.duration !== undefined && elapsedSeconds >= schedule.duration) return undefined;
    const period = schedule.chargingSchedulePeriod.filter((p) => p.startPeriod <= elapsedSeconds).at(-1);
    if (period === undefined) return undefined;
    if (schedule.chargingRateUnit === 'A') return period.limit;
    const phases = Math.min(period.numberPhases ?? this.limits.phases, this.limits.phases);
    return period.limit / (this.limits.volts * phases);
  }
}
