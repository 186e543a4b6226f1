/**
 * An independent, deliberately naive reading of OCPP 1.6 §3.13 for the property tests: it keeps the CSMS's raw
 * payloads and evaluates one instant at a time, with none of the boundary arithmetic of edge/upstream/.
 */
import type { setProfile } from './csms-profiles';

type Payload = ReturnType<typeof setProfile>;
type Profile = Payload['csChargingProfiles'];
interface Clear {
  readonly id?: number;
  readonly connectorId?: number;
  readonly chargingProfilePurpose?: string;
  readonly stackLevel?: number;
}

const DAY = 86_400_000;

export class OracleStack {
  private kept: Payload[] = [];

  set(payload: Payload): void {
    const p = payload.csChargingProfiles;
    this.kept = this.kept.filter(
      (k) =>
        k.csChargingProfiles.chargingProfileId !== p.chargingProfileId &&
        !(
          k.connectorId === payload.connectorId &&
          k.csChargingProfiles.chargingProfilePurpose === p.chargingProfilePurpose &&
          k.csChargingProfiles.stackLevel === p.stackLevel
        ),
    );
    this.kept.push(payload);
  }

  clear(c: Clear): void {
    this.kept = this.kept.filter((k) => {
      const p = k.csChargingProfiles;
      if (c.id !== undefined) return p.chargingProfileId !== c.id;
      const hit =
        (c.connectorId === undefined || c.connectorId === k.connectorId) &&
        (c.chargingProfilePurpose === undefined || c.chargingProfilePurpose === p.chargingProfilePurpose) &&
        (c.stackLevel === undefined || c.stackLevel === p.stackLevel);
      return !hit;
    });
  }

  /** Amps per phase and phases the CSMS allows on `connectorId` at `t`, for a transaction started at `txStart`. */
  limitAt(
    connectorId: number,
    transactionId: number,
    txStart: number,
    t: number,
    carPhases: number,
  ): { amps: number; phases: number } | undefined {
    const winner = (purpose: string, connectors: number[]) => {
      const candidates = this.kept
        .filter((k) => k.csChargingProfiles.chargingProfilePurpose === purpose && connectors.includes(k.connectorId))
        .filter(
          (k) => purpose !== 'TxProfile' || [undefined, transactionId].includes(k.csChargingProfiles.transactionId),
        )
        .sort(
          (a, b) =>
            b.csChargingProfiles.stackLevel - a.csChargingProfiles.stackLevel ||
            Number(b.connectorId === connectorId) - Number(a.connectorId === connectorId),
        );
      for (const k of candidates) {
        const period = periodOf(k.csChargingProfiles, t, txStart);
        if (period) return { ...period, unit: k.csChargingProfiles.chargingSchedule.chargingRateUnit };
      }
      return undefined;
    };
    const tx = winner('TxProfile', [connectorId]) ?? winner('TxDefaultProfile', [0, connectorId]);
    const max = winner('ChargePointMaxProfile', [0]);
    const amps = (p: typeof tx) => {
      if (!p) return undefined;
      const phases = Math.min(carPhases, p.numberPhases ?? 3);
      return { amps: p.unit === 'A' ? p.limit : p.limit / (230 * phases), phases };
    };
    const a = amps(tx);
    const b = amps(max);
    if (!a || !b) return a ?? b;
    return { amps: Math.min(a.amps, b.amps), phases: Math.min(a.phases, b.phases) };
  }
}

function periodOf(p: Profile, t: number, txStart: number) {
  if (p.validFrom && t < Date.parse(p.validFrom)) return undefined;
  if (p.validTo && t >= Date.parse(p.validTo)) return undefined;
  const s = p.chargingSchedule;
  let start =
    s.startSchedule === undefined || p.chargingProfileKind === 'Relative' ? txStart : Date.parse(s.startSchedule);
  if (p.chargingProfileKind === 'Recurring') {
    const cycle = p.recurrencyKind === 'Weekly' ? 7 * DAY : DAY;
    while (start > t) start -= cycle;
    while (start + cycle <= t) start += cycle;
  }
  const offset = (t - start) / 1000;
  if (offset < 0 || (s.duration !== undefined && offset >= s.duration)) return undefined;
  const periods = s.chargingSchedulePeriod.filter((x) => x.startPeriod <= offset);
  return periods.at(-1);
}
