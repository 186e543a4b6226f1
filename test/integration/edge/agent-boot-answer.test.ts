/**
 * A charger that boots is answered once its fail-safe default and its first idle hold are in: a real OCPP 1.6 charge
 * point (ocpp-rpc) against the whole agent. A charger sends no other request before its boot is answered (OCPP 1.6,
 * 4.2), so a car that plugs in meanwhile cannot start on whatever the charger holds and be stopped when the hold lands.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { FAIL_SAFE_PROFILE_ID, IDLE_HOLD_PROFILE_ID } from '../../../edge/ocpp/charging-profile';
import { tsOcppChargePoint, type TsOcppChargePoint } from '../../e2e/dashboard/support/ts-ocpp-charge-point';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from './support/edge-fixture';

/** The profile a SetChargingProfile call installs, or the call's method. */
function callName(method: string, params: unknown): string {
  const profile = (params as { csChargingProfiles?: { chargingProfileId?: number } }).csChargingProfiles;
  if (method !== 'SetChargingProfile') return method;
  if (profile?.chargingProfileId === FAIL_SAFE_PROFILE_ID) return 'fail-safe';
  return profile?.chargingProfileId === IDLE_HOLD_PROFILE_ID ? 'idle hold' : 'lease';
}

describe('edge agent: the answer to a charger boot', () => {
  let edge: EdgeFixture;
  let client: RPCClient | undefined;
  let thirdParty: TsOcppChargePoint | undefined;
  afterEach(async () => {
    await client?.close({ force: true });
    thirdParty?.close();
    await edge.close();
  });

  it('should install the fail-safe and the first idle hold before it answers a boot Accepted', async () => {
    // Arrange: a charger that takes profiles in amperes on two stack levels
    edge = await startEdge({ chargers: 1 });
    client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    const received: string[] = [];
    client.handle(({ method, params }) => {
      received.push(callName(method!, params));
      if (method !== 'GetConfiguration') return Promise.resolve({ status: 'Accepted' });
      return Promise.resolve({
        configurationKey: [
          { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current' },
          { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '3' },
          { key: 'ChargingScheduleMaxPeriods', readonly: true, value: '4' },
        ],
      });
    });
    await client.connect();

    // Act
    const answer = (await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X1' })) as {
      status: string;
    };
    const beforeAnswer = [...received];

    // Assert: before, the answer went first and the configuration followed it (nothing before the answer)
    expect(answer.status).toBe('Accepted');
    expect(beforeAnswer).toEqual(expect.arrayContaining(['GetConfiguration', 'fail-safe', 'idle hold']));
  });

  it('should do the same with a charge point no one on this team wrote (@voltbras/ts-ocpp), which answers our calls while its boot waits', async () => {
    // Arrange
    edge = await startEdge({ chargers: 1 });
    thirdParty = tsOcppChargePoint({
      ocppUrl: edge.agent.ocppUrl,
      identity: 'CP-1',
      password: passwordOf('CP-1'),
      configuration: { ChargingScheduleAllowedChargingRateUnit: 'Current', ChargeProfileMaxStackLevel: '3' },
    });

    // Act: connect() resolves with the boot's answer
    await thirdParty.connect();
    const beforeAnswer = thirdParty.profiles.map((p) => p.csChargingProfiles.chargingProfileId);

    // Assert
    expect(thirdParty.boots).toEqual(['Accepted']);
    expect(beforeAnswer).toEqual(expect.arrayContaining([FAIL_SAFE_PROFILE_ID, IDLE_HOLD_PROFILE_ID]));
  });
});
