import { describe, expect, it } from 'vitest';
import type { LeaseRequest } from '../../../../edge/control/control-ports';
import { CsmsLimits } from '../../../../edge/upstream/csms-limits';
import { minutes, setProfile, T0, type ProfileOptions } from './csms-profiles';

const CHARGER = 'CP-1';
const TX = 41;

async function limits(...profiles: ProfileOptions[]): Promise<CsmsLimits> {
  const csms = new CsmsLimits({ nominalVolts: 230, maxProfilesPerCharger: 8 });
  csms.transactionStarted(CHARGER, 1, { transactionId: TX, startedAt: T0 });
  for (const options of profiles)
    expect(await csms.record(CHARGER, 'SetChargingProfile', setProfile(options))).toBe('Accepted');
  return csms;
}

/** The CSMS's limit on connector 1 at an instant, for a three-phase car. */
const ampsAt = (csms: CsmsLimits, instant: number, phases: 1 | 2 | 3 = 3, connectorId = 1) =>
  csms.ceilingSteps(CHARGER, connectorId, phases, instant, instant + 1)[0]?.ceiling;

describe('CsmsLimits: what the CSMS may set', () => {
  it.each<[string, unknown]>([
    ['no profile', { connectorId: 1 }],
    ['a limit that is not a multiple of 0.1', setProfile({ periods: [[0, 16.05]] })],
    [
      'periods out of order',
      setProfile({
        periods: [
          [600, 16],
          [0, 10],
        ],
      }),
    ],
    [
      'a Recurring profile without recurrencyKind',
      setProfile({ kind: 'Recurring', startSchedule: '2026-12-01T00:00:00Z' }),
    ],
    ['a Recurring profile without startSchedule', setProfile({ kind: 'Recurring', recurrencyKind: 'Daily' })],
    ['a date that is not one', setProfile({ validFrom: 'tomorrow' })],
    ['validTo before validFrom', setProfile({ validFrom: '2026-12-02T00:00:00Z', validTo: '2026-12-01T00:00:00Z' })],
    ['a ChargePointMaxProfile on a connector', setProfile({ purpose: 'ChargePointMaxProfile', connectorId: 1 })],
    ['a TxProfile on connector 0', setProfile({ purpose: 'TxProfile', connectorId: 0 })],
    ['a TxProfile where no transaction runs', setProfile({ purpose: 'TxProfile', connectorId: 2 })],
    ['a TxProfile for another transaction', setProfile({ purpose: 'TxProfile', transactionId: TX + 1 })],
    ['too many periods', setProfile({ periods: Array.from({ length: 97 }, (_, i) => [i * 60, 16] as const) })],
  ])('should reject %s', async (_name, payload) => {
    expect(await (await limits()).record(CHARGER, 'SetChargingProfile', payload)).toBe('Rejected');
  });

  it('should reject profiles beyond the per-charger limit, but still take replacements', async () => {
    const csms = await limits(...Array.from({ length: 8 }, (_, i) => ({ id: i, stackLevel: i })));
    expect(await csms.record(CHARGER, 'SetChargingProfile', setProfile({ id: 8, stackLevel: 8 }))).toBe('Rejected');
    expect(
      await csms.record(CHARGER, 'SetChargingProfile', setProfile({ id: 3, stackLevel: 3, periods: [[0, 9]] })),
    ).toBe('Accepted');
  });

  it('should replace a profile with the same id, or with the same connector, purpose and stack level', async () => {
    const csms = await limits({ id: 1, stackLevel: 1, periods: [[0, 20]] });
    await csms.record(CHARGER, 'SetChargingProfile', setProfile({ id: 1, stackLevel: 2, periods: [[0, 18]] }));
    expect(ampsAt(csms, T0)?.amps).toBe(18);
    await csms.record(CHARGER, 'SetChargingProfile', setProfile({ id: 2, stackLevel: 2, periods: [[0, 25]] }));
    expect(ampsAt(csms, T0)?.amps).toBe(25);
    await csms.record(CHARGER, 'ClearChargingProfile', { id: 2 });
    expect(ampsAt(csms, T0)).toBeUndefined();
  });
});

describe('CsmsLimits: ClearChargingProfile', () => {
  const three = (): Promise<CsmsLimits> =>
    limits(
      { id: 1, purpose: 'ChargePointMaxProfile', stackLevel: 0, periods: [[0, 30]] },
      { id: 2, purpose: 'TxDefaultProfile', connectorId: 0, stackLevel: 1, periods: [[0, 20]] },
      { id: 3, purpose: 'TxProfile', stackLevel: 2, periods: [[0, 10]] },
    );

  it.each<[string, object, 'Accepted' | 'Unknown', number | undefined]>([
    ['by id, whatever else it says', { id: 3, stackLevel: 9 }, 'Accepted', 20],
    ['an id it does not hold', { id: 99 }, 'Unknown', 10],
    ['by purpose', { chargingProfilePurpose: 'TxProfile' }, 'Accepted', 20],
    ['by connector', { connectorId: 0 }, 'Accepted', 10],
    [
      'by purpose and stack level that do not meet',
      { chargingProfilePurpose: 'TxProfile', stackLevel: 1 },
      'Unknown',
      10,
    ],
    ['by stack level', { stackLevel: 1 }, 'Accepted', 10],
    ['everything', {}, 'Accepted', undefined],
  ])('should clear %s', async (_name, clear, answer, ampsAfter) => {
    const csms = await three();
    expect(await csms.record(CHARGER, 'ClearChargingProfile', clear)).toBe(answer);
    expect(ampsAt(csms, T0)?.amps).toBe(ampsAfter);
  });

  it('should refuse a malformed clear', async () => {
    expect(await (await three()).record(CHARGER, 'ClearChargingProfile', { stackLevel: -1 })).toBe('Rejected');
  });

  it('should drop the TxProfiles of a connector when its transaction ends', async () => {
    const csms = await three();
    csms.transactionEnded(CHARGER, 1);
    expect(await csms.record(CHARGER, 'ClearChargingProfile', { chargingProfilePurpose: 'TxProfile' })).toBe('Unknown');
  });

  it('should drop the TxProfiles of an earlier transaction whose end was missed when the next one starts', async () => {
    const csms = await three();
    csms.transactionStarted(CHARGER, 1, { transactionId: TX + 1, startedAt: T0 + minutes(90) });
    expect(ampsAt(csms, T0 + minutes(91))?.amps).toBe(20);
  });
});

describe('CsmsLimits: stacking (OCPP 1.6 §3.13)', () => {
  it('should take the highest stack level that covers the instant, and fall back to a lower one after it', async () => {
    const csms = await limits(
      { id: 1, stackLevel: 1, periods: [[0, 32]] },
      { id: 2, stackLevel: 3, duration: 1800, periods: [[0, 8]] },
      { id: 3, stackLevel: 2, validFrom: '2026-12-01T09:00:00Z', periods: [[0, 12]] },
    );
    expect(ampsAt(csms, T0 + minutes(10))?.amps).toBe(8);
    expect(ampsAt(csms, T0 + minutes(40))?.amps).toBe(32);
    expect(ampsAt(csms, T0 + minutes(70))?.amps).toBe(12);
  });

  it('should let a TxProfile override the TxDefaultProfile, even a higher one, for its transaction', async () => {
    const csms = await limits(
      { id: 1, stackLevel: 9, periods: [[0, 10]] },
      { id: 2, purpose: 'TxProfile', transactionId: TX, stackLevel: 0, duration: 600, periods: [[0, 24]] },
    );
    expect(ampsAt(csms, T0)?.amps).toBe(24);
    expect(ampsAt(csms, T0 + minutes(10))?.amps).toBe(10);
  });

  it('should prefer a TxDefaultProfile for the connector over one for the whole charger at the same level', async () => {
    const csms = await limits(
      { id: 1, connectorId: 0, periods: [[0, 20]] },
      { id: 2, connectorId: 1, periods: [[0, 14]] },
    );
    expect(ampsAt(csms, T0)?.amps).toBe(14);
    expect(ampsAt(csms, T0, 3, 2)?.amps).toBe(20);
  });

  it('should cap every connector with the ChargePointMaxProfile, and answer for connector 0 with it alone', async () => {
    const csms = await limits(
      { id: 1, periods: [[0, 32]] },
      { id: 2, purpose: 'ChargePointMaxProfile', periods: [[0, 25]] },
    );
    expect(ampsAt(csms, T0)?.amps).toBe(25);
    await csms.record(CHARGER, 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 16]] }));
    expect(ampsAt(csms, T0)?.amps).toBe(16);
    expect(ampsAt(csms, T0, 3, 0)?.amps).toBe(25);
  });

  it('should turn watts into amps per phase over the car phases at the nominal voltage', async () => {
    const csms = await limits({ unit: 'W', periods: [[0, 11_040]] });
    expect(ampsAt(csms, T0, 3)).toEqual({ amps: 16, phases: 3 });
    expect(ampsAt(csms, T0, 1)).toEqual({ amps: 48, phases: 1 });
  });

  it("should lower the phases to the period's numberPhases, and share watts over those", async () => {
    expect(ampsAt(await limits({ periods: [[0, 16, 1]] }), T0, 3)).toEqual({ amps: 16, phases: 1 });
    expect(ampsAt(await limits({ unit: 'W', periods: [[0, 7360, 2]] }), T0, 3)).toEqual({ amps: 16, phases: 2 });
  });

  it('should run Relative profiles from the start of the transaction', async () => {
    const csms = await limits({
      periods: [
        [0, 32],
        [3600, 6],
      ],
    });
    expect(ampsAt(csms, T0 + minutes(61))?.amps).toBe(6);
  });

  it('should answer the next change, the lowest limit over a window, and none for a charger it knows nothing of', async () => {
    const csms = await limits({
      periods: [
        [0, 32],
        [600, 32],
        [1200, 6],
      ],
    });
    expect(csms.nextChange(CHARGER, 1, 3, T0, T0 + minutes(60))).toBe(T0 + minutes(20));
    expect(csms.nextChange(CHARGER, 1, 3, T0, T0 + minutes(15))).toBeUndefined();
    const lease: LeaseRequest = {
      connectorId: 1,
      transactionId: TX,
      amps: 20,
      phases: 3,
      minAmps: 6,
      leaseSeconds: 60,
    };
    expect(csms.lowestDuring(CHARGER, lease, T0, T0 + minutes(19))).toEqual({ amps: 32, phases: 3 });
    expect(csms.lowestDuring(CHARGER, lease, T0 + minutes(19), T0 + minutes(21))).toEqual({ amps: 6, phases: 3 });
    expect(csms.lowestDuring('CP-unknown', lease, T0, T0 + minutes(60))).toBeUndefined();
  });
});
