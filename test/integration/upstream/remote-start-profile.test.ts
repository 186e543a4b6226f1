/**
 * The charging profile inside a CSMS's RemoteStartTransaction (a TxProfile for the transaction it starts): never sent
 * to the charger, where it would sit beside the agent's lease, but kept as that transaction's CSMS limit, so the car
 * gets at most what the CSMS asked for and never more than the site allows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAR } from '../../../sim/charger/virtual-car';
import { startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { TsOcppCsms } from './support/ts-ocpp-csms';

describe('edge agent in front of a CSMS: the profile of a RemoteStartTransaction', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  afterEach(async () => {
    await edge?.close();
    await csms?.close();
    edge = csms = undefined;
  });

  it("should cap the transaction a RemoteStartTransaction starts by the call's TxProfile", async () => {
    // Arrange: one car plugged in, which the site alone would give 32 A
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url }, control: { leaseSeconds: 3600 } });
    const charger = await edge.charger('CP-1');
    await charger.plugIn(DEFAULT_CAR);
    const from = edge.profiles.frames.length;

    // Act
    const answer = await csms.send('CP-1', 'RemoteStartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      chargingProfile: {
        chargingProfileId: 901,
        stackLevel: 0,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      },
    });

    // Assert: before, the profile was dropped and the car got the site's 32 A
    expect(answer).toEqual({ status: 'Accepted' });
    await edge.events.until('the remote start profile in force', () => charger.offeredAmps === 10);
    const leases = edge.profiles.frames
      .slice(from)
      .filter((f) => f.kind === 'call' && f.purpose === 'TxProfile')
      .map((f) => f.limit);
    expect(leases.length).toBeGreaterThan(0);
    expect(leases.every((limit) => (limit ?? Infinity) <= 10)).toBe(true);
  });
});
