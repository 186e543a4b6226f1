/** OCPP 1.6 SetChargingProfile.req payloads as a CSMS sends them, for the upstream limit tests. */

export const T0 = Date.parse('2026-12-01T08:00:00Z');
export const at = (iso: string): number => Date.parse(iso);
export const minutes = (n: number): number => n * 60_000;

type Purpose = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';

export interface ProfileOptions {
  readonly id?: number;
  readonly connectorId?: number;
  readonly purpose?: Purpose;
  readonly stackLevel?: number;
  readonly kind?: 'Absolute' | 'Recurring' | 'Relative';
  readonly recurrencyKind?: 'Daily' | 'Weekly';
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly transactionId?: number;
  readonly startSchedule?: string;
  readonly duration?: number;
  readonly unit?: 'A' | 'W';
  /** [startPeriod seconds, limit, numberPhases?] */
  readonly periods?: readonly (readonly [number, number, number?])[];
}

/** A SetChargingProfile.req; by default a Relative TxDefaultProfile of 16 A on connector 1 at stack level 5. */
export function setProfile(o: ProfileOptions = {}) {
  const purpose = o.purpose ?? 'TxDefaultProfile';
  return {
    connectorId: o.connectorId ?? (purpose === 'ChargePointMaxProfile' ? 0 : 1),
    csChargingProfiles: {
      chargingProfileId: o.id ?? 7,
      ...(o.transactionId !== undefined && { transactionId: o.transactionId }),
      stackLevel: o.stackLevel ?? 5,
      chargingProfilePurpose: purpose,
      chargingProfileKind: o.kind ?? 'Relative',
      ...(o.recurrencyKind && { recurrencyKind: o.recurrencyKind }),
      ...(o.validFrom && { validFrom: o.validFrom }),
      ...(o.validTo && { validTo: o.validTo }),
      chargingSchedule: {
        ...(o.duration !== undefined && { duration: o.duration }),
        ...(o.startSchedule && { startSchedule: o.startSchedule }),
        chargingRateUnit: o.unit ?? 'A',
        chargingSchedulePeriod: (o.periods ?? [[0, 16]]).map(([startPeriod, limit, numberPhases]) => ({
          startPeriod,
          limit,
          ...(numberPhases !== undefined && { numberPhases }),
        })),
      },
    },
  };
}

/** The CSMS's TxProfile for a running transaction: `limit` amps from its start (profile 9, stack level 0). */
export const txProfile = (transactionId: number, limit: number) =>
  setProfile({ id: 9, purpose: 'TxProfile', transactionId, stackLevel: 0, periods: [[0, limit]] });
