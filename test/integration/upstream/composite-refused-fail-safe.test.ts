/**
 * GetCompositeSchedule for a charger that refused the agent's fail-safe profile: without a lease it does not fall back
 * to the fail-safe current but to its own maximum, so that is what the agent answers the CSMS.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { TsOcppCsms } from './support/ts-ocpp-csms';

interface CompositeAnswer {
  readonly status: string;
  readonly chargingSchedule?: { readonly chargingSchedulePeriod: readonly { startPeriod: number; limit: number }[] };
}

describe('edge agent in front of a CSMS: the composite schedule of a charger without the fail-safe', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  let client: RPCClient | undefined;
  afterEach(async () => {
    await client?.close({ force: true });
    await edge?.close();
    await csms?.close();
    client = edge = csms = undefined;
  });

  it("should answer the charger's own maximum, not the fail-safe current, when the charger refused the fail-safe", async () => {
    // Arrange: a charger that refuses the agent's fail-safe profile (id 1) at boot, and has no lease
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });
    const refusedFailSafe: unknown[] = [];
    client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    client.handle('GetConfiguration', () => Promise.resolve({ configurationKey: [] }));
    client.handle('ChangeConfiguration', () => Promise.resolve({ status: 'Accepted' }));
    client.handle('SetChargingProfile', ({ params }) => {
      const id = (params as { csChargingProfiles: { chargingProfileId: number } }).csChargingProfiles.chargingProfileId;
      if (id === 1) refusedFailSafe.push(params);
      return Promise.resolve({ status: id === 1 ? 'Rejected' : 'Accepted' });
    });
    await client.connect();
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'NoFailSafe' });
    await eventually('the fail-safe refused', () => refusedFailSafe.length > 0, 10_000);

    // Act: asked until the agent has heard of the refusal (its boot configuration ends just after)
    let answer: CompositeAnswer | undefined;
    const limit = () => answer?.chargingSchedule?.chargingSchedulePeriod[0]?.limit;
    for (let i = 0; i < 50 && limit() !== 32; i++) {
      answer = (await csms.send('CP-1', 'GetCompositeSchedule', { connectorId: 1, duration: 600 })) as CompositeAnswer;
      if (limit() !== 32) await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // Assert: before, the agent answered the policy's fail-safe of 6 A, which this charger does not hold
    expect(answer?.status).toBe('Accepted');
    expect(limit()).toBe(32);
  });
});
