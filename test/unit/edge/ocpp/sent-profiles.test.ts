/** The record of the charging profiles the agent sent: what goes out through a recording caller, answers, bounds. */
import { createRPCError, TimeoutError } from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import {
  buildFailSafeProfile,
  buildIdleHoldProfile,
  buildLeaseProfile,
} from '../../../../edge/ocpp/charging-profile-builder';
import type { RpcCaller } from '../../../../edge/ocpp/command-sender';
import { sendCommand } from '../../../../edge/ocpp/command-sender';
import { SENT_PROFILES_MAX_CHARGERS, SENT_PROFILES_PER_KIND, SentProfiles } from '../../../../edge/ocpp/sent-profiles';

const RATE = { rateUnit: 'A' as const, nominalVolts: 230 };
const answering = (answer: () => Promise<unknown>): RpcCaller => ({ call: () => answer() });
const accepted = answering(() => Promise.resolve({ status: 'Accepted' }));

describe('SentProfiles', () => {
  it('should record each kind with its limits and the charger answer, newest first per connector', async () => {
    // Arrange
    let now = 1_000;
    const sent = new SentProfiles(() => now);
    const caller = sent.recording('CP-1', accepted);
    const failSafe = buildFailSafeProfile({ amps: 6, phases: 3, minAmps: 6 }, RATE);
    const lease = buildLeaseProfile(
      { connectorId: 1, transactionId: 7, amps: 16, phases: 3, minAmps: 6, leaseSeconds: 60, fallbackAmps: 6 },
      RATE,
      now,
    );

    // Act
    await sendCommand(caller, 'SetChargingProfile', { connectorId: 0, csChargingProfiles: failSafe });
    now = 2_000;
    await sendCommand(caller, 'SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: buildIdleHoldProfile(60, RATE, now),
    });
    now = 3_000;
    await sendCommand(caller, 'SetChargingProfile', { connectorId: 1, csChargingProfiles: lease });
    await sendCommand(caller, 'GetConfiguration', {});

    // Assert
    const record = sent.of('CP-1');
    expect(record.map((c) => [c.connectorId, c.profiles.map((p) => p.kind)])).toEqual([
      [0, ['idleHold', 'failSafe']],
      [1, ['lease']],
    ]);
    expect(record[0]?.profiles[1]).toEqual({
      sentAt: 1_000,
      kind: 'failSafe',
      chargingProfileId: failSafe.chargingProfileId,
      purpose: 'TxDefaultProfile',
      stackLevel: 0,
      transactionId: null,
      rateUnit: 'A',
      periods: failSafe.chargingSchedule.chargingSchedulePeriod,
      durationSeconds: null,
      validTo: null,
      outcome: 'answered',
      status: 'Accepted',
      answeredAt: 1_000,
    });
    expect(record[1]?.profiles[0]).toMatchObject({ kind: 'lease', transactionId: 7, purpose: 'TxProfile' });
    expect(sent.of('CP-2')).toEqual([]);
  });

  it.each<[string, () => Promise<unknown>, object]>([
    ['a refusal', () => Promise.resolve({ status: 'Rejected' }), { outcome: 'answered', status: 'Rejected' }],
    ['a timeout', () => Promise.reject(new TimeoutError('Call timeout')), { outcome: 'timeout', status: null }],
    [
      'a CALLERROR',
      () => Promise.reject(createRPCError('NotSupported', 'nope') as Error),
      { outcome: 'error', status: 'NotSupported' },
    ],
    ['a dropped connection', () => Promise.reject(new Error('gone')), { outcome: 'notConnected', status: null }],
  ])('should record %s as the answer', async (_what, answer, expected) => {
    const sent = new SentProfiles(() => 5);

    await sendCommand(sent.recording('CP-1', answering(answer)), 'SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: buildFailSafeProfile({ amps: 6, phases: 3, minAmps: 6 }, RATE),
    });

    expect(sent.of('CP-1')[0]?.profiles[0]).toMatchObject({ ...expected, answeredAt: 5 });
  });

  it(`should keep ${SENT_PROFILES_PER_KIND} per connector and kind, so renewals never push the fail-safe out`, async () => {
    let now = 0;
    const sent = new SentProfiles(() => now);
    const caller = sent.recording('CP-1', accepted);
    const send = (profile: Parameters<typeof buildFailSafeProfile>[0] | number) =>
      sendCommand(caller, 'SetChargingProfile', {
        connectorId: 0,
        csChargingProfiles:
          typeof profile === 'number' ? buildIdleHoldProfile(profile, RATE, now) : buildFailSafeProfile(profile, RATE),
      });

    await send({ amps: 6, phases: 3, minAmps: 6 });
    for (now = 1; now <= 20; now++) await send(60);

    const profiles = sent.of('CP-1')[0]?.profiles ?? [];
    expect(profiles.map((p) => [p.kind, p.sentAt])).toEqual([
      ...[20, 19, 18, 17].slice(0, SENT_PROFILES_PER_KIND).map((at) => ['idleHold', at]),
      ['failSafe', 0],
    ]);
  });

  it(`should forget the charger least recently sent to beyond ${SENT_PROFILES_MAX_CHARGERS} chargers`, async () => {
    const sent = new SentProfiles(() => 0);
    const profile = buildFailSafeProfile({ amps: 6, phases: 3, minAmps: 6 }, RATE);
    const send = (id: string) =>
      sendCommand(sent.recording(id, accepted), 'SetChargingProfile', { connectorId: 0, csChargingProfiles: profile });

    for (let i = 0; i < SENT_PROFILES_MAX_CHARGERS; i++) await send(`CP-${i}`);
    await send('CP-0');
    await send('CP-NEW');

    expect(sent.of('CP-0')).toHaveLength(1);
    expect(sent.of('CP-1')).toEqual([]);
    expect(sent.of('CP-NEW')).toHaveLength(1);
  });
});
