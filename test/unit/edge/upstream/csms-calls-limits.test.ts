/**
 * The CSMS's SetChargingProfile and ClearChargingProfile when its limits could not be kept (a cluster master whose
 * ledger write failed, edge/upstream/csms-calls.ts): the set is answered Rejected, the clear with a CALLERROR
 * (InternalError: its answer has no Rejected, and Unknown would say no profile is left), and the profiles in force
 * stay as they were. The replica is a fake of our own port that fails while `failing` is set.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { answerCsmsCall, type CsmsCallDeps } from '../../../../edge/upstream/csms-calls';
import { CsmsLimits } from '../../../../edge/upstream/csms-limits';
import { setProfile, T0 } from './csms-profiles';

function harness() {
  const replica = {
    failing: false,
    write: (): Promise<void> =>
      replica.failing ? Promise.reject(new Error('etcd did not answer')) : Promise.resolve(),
  };
  const limits = new CsmsLimits({ nominalVolts: 230, maxProfilesPerCharger: 8 }, undefined, replica);
  const deps: CsmsCallDeps = {
    chargerId: 'CP-1',
    configuration: { meterSampleIntervalSeconds: 10 },
    settings: { callTimeoutMs: 500 },
    log: { provisionalIdOf: () => undefined },
    authorization: { clearCache: () => undefined, applyLocalList: () => undefined },
    limits,
    composite: undefined,
    charger: { call: () => Promise.reject(new Error('not for the charger')) },
    logger: pino({ level: 'silent' }),
  };
  const amps = () => limits.lowestDuring('CP-1', { connectorId: 1, phases: 3 }, T0, T0 + 60_000)?.amps;
  return { replica, deps, amps };
}

describe('the CSMS limits not kept', () => {
  it('should answer a SetChargingProfile Rejected and keep the profile in force', async () => {
    // Arrange: 16 A in force; then the replica fails
    const { replica, deps, amps } = harness();
    await answerCsmsCall(deps, 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 16]] }));
    replica.failing = true;

    // Act
    const answer = await answerCsmsCall(deps, 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 6]] }));

    // Assert
    expect(answer).toEqual({ status: 'Rejected' });
    expect(amps()).toBe(16);
  });

  it('should answer a ClearChargingProfile with an InternalError CALLERROR and keep the profile in force', async () => {
    // Arrange
    const { replica, deps, amps } = harness();
    await answerCsmsCall(deps, 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 16]] }));
    replica.failing = true;

    // Act
    const answer = await answerCsmsCall(deps, 'ClearChargingProfile', { id: 1 }).catch((error: unknown) => error);

    // Assert
    expect(answer).toMatchObject({ rpcErrorCode: 'InternalError' });
    expect(amps()).toBe(16);
  });
});
