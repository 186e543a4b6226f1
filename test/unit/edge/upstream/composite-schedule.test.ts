import { describe, expect, it } from 'vitest';
import { compositeSchedule, type CompositeRequest } from '../../../../edge/upstream/composite-schedule';
import { CsmsLimits } from '../../../../edge/upstream/csms-limits';
import { minutes, setProfile, T0 } from './csms-profiles';

const request = (overrides: Partial<CompositeRequest> = {}): CompositeRequest => ({
  connectorId: 1,
  from: T0,
  durationSeconds: 3600,
  chargingRateUnit: 'A',
  ours: [{ at: T0 - minutes(1), amps: 20 }],
  csms: [],
  chargerMaxAmps: 32,
  phases: 3,
  minAmps: 6,
  nominalVolts: 230,
  ...overrides,
});

describe('compositeSchedule', () => {
  it('should report our lease then our fail-safe when the CSMS sets nothing', () => {
    expect(
      compositeSchedule(
        request({
          ours: [
            { at: T0, amps: 20 },
            { at: T0 + minutes(2), amps: 6 },
          ],
        }),
      ),
    ).toEqual({
      status: 'Accepted',
      connectorId: 1,
      scheduleStart: '2026-12-01T08:00:00Z',
      chargingSchedule: {
        duration: 3600,
        startSchedule: '2026-12-01T08:00:00Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 20, numberPhases: 3 },
          { startPeriod: 120, limit: 6, numberPhases: 3 },
        ],
      },
    });
  });

  it('should report the lower of our lease and the CSMS stack at every change, in the unit asked for', async () => {
    const csms = new CsmsLimits({ nominalVolts: 230, maxProfilesPerCharger: 8 });
    csms.transactionStarted('CP-1', 1, { transactionId: 41, startedAt: T0 - minutes(30) });
    // The CSMS allows 32 A for the first 40 minutes of a transaction, then 11.04 kW on at most two phases.
    await csms.record(
      'CP-1',
      'SetChargingProfile',
      setProfile({
        periods: [
          [0, 32],
          [2400, 5520, 2],
        ],
        unit: 'W',
      }),
    );
    await csms.record(
      'CP-1',
      'SetChargingProfile',
      setProfile({
        id: 8,
        stackLevel: 6,
        periods: [
          [0, 32],
          [2400, 16, 2],
        ],
      }),
    );

    const schedule = (chargingRateUnit: 'A' | 'W') =>
      compositeSchedule(request({ chargingRateUnit, csms: csms.ceilingSteps('CP-1', 1, 3, T0, T0 + 3_600_000) }))
        .chargingSchedule?.chargingSchedulePeriod;

    expect(schedule('A')).toEqual([
      { startPeriod: 0, limit: 20, numberPhases: 3 },
      { startPeriod: 600, limit: 16, numberPhases: 2 },
    ]);
    expect(schedule('W')).toEqual([
      { startPeriod: 0, limit: 13_800, numberPhases: 3 },
      { startPeriod: 600, limit: 7360, numberPhases: 2 },
    ]);
  });

  it("should never report more than the charger's maximum, and a pause below the car's minimum", () => {
    const csms = [
      { at: T0, ceiling: undefined },
      { at: T0 + minutes(5), ceiling: { amps: 5, phases: 3 as const } },
    ];
    expect(compositeSchedule(request({ chargerMaxAmps: 16, csms })).chargingSchedule?.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 16, numberPhases: 3 },
      { startPeriod: 300, limit: 0, numberPhases: 3 },
    ]);
  });
});
