/**
 * A charger that boots is answered once its fail-safe default and its first idle hold are in: a real OCPP 1.6 charge
 * point (ocpp-rpc) against the whole agent, alone and in front of an operator's CSMS (a cluster node:
 * cluster-boot-answer.test.ts). A charger sends no other request before its boot is answered (OCPP 1.6, 4.2), so a car
 * that plugs in meanwhile cannot start on whatever the charger holds and be stopped when the hold lands.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { FAIL_SAFE_PROFILE_ID, IDLE_HOLD_PROFILE_ID } from '../../../edge/ocpp/charging-profile';
import { tsOcppChargePoint, type TsOcppChargePoint } from '../../e2e/dashboard/support/ts-ocpp-charge-point';
import { TsOcppCsms } from '../upstream/support/ts-ocpp-csms';
import { bootSeen } from './support/boot-before-answer';
import { passwordOf, startEdge, type EdgeFixture } from './support/edge-fixture';

describe('edge agent: the answer to a charger boot', () => {
  let edge: EdgeFixture;
  let client: RPCClient | undefined;
  let thirdParty: TsOcppChargePoint | undefined;
  let csms: TsOcppCsms | undefined;
  afterEach(async () => {
    await client?.close({ force: true });
    thirdParty?.close();
    await edge.close();
    await csms?.close();
    client = thirdParty = csms = undefined;
  });

  it('should install the fail-safe and the first idle hold before it answers a boot Accepted', async () => {
    // Arrange: a charger that takes profiles in amperes on two stack levels
    edge = await startEdge({ chargers: 1 });

    // Act
    const boot = await bootSeen(edge.agent.ocppUrl, 'CP-1');
    client = boot.client;

    // Assert: before, the answer went first and the configuration followed it (nothing before the answer)
    expect(boot.status).toBe('Accepted');
    expect(boot.beforeAnswer).toEqual(expect.arrayContaining(['GetConfiguration', 'fail-safe', 'idle hold']));
  });

  it("should hold a CSMS's Accepted until the fail-safe and the first idle hold are in, in front of an operator's CSMS (@voltbras/ts-ocpp)", async () => {
    // Arrange
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });

    // Act
    const boot = await bootSeen(edge.agent.ocppUrl, 'CP-1');
    client = boot.client;

    // Assert: the CSMS's answer, given on its own: before, it reached the charger at once and the configuration
    // followed it
    expect(boot.status).toBe('Accepted');
    expect(csms.of('BootNotification', 'CP-1')).toHaveLength(1);
    expect(boot.beforeAnswer).toEqual(expect.arrayContaining(['GetConfiguration', 'fail-safe', 'idle hold']));
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
