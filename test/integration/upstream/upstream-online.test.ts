/** The agent in front of an operator's CSMS (@voltbras/ts-ocpp), online: charger and CSMS see each other's answers unchanged. */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordedUpstreamLimits } from './support/recorded-upstream-limits';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { eventually } from '../../support/eventually';
import { TsOcppCsms } from './support/ts-ocpp-csms';
import { IDLE_HOLD_PROFILE_ID } from '../../../edge/ocpp/charging-profile';

describe('edge agent in front of a CSMS, online', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  let client: RPCClient | undefined;
  afterEach(async () => {
    await client?.close({ force: true });
    await edge?.close();
    await csms?.close();
    client = edge = csms = undefined;
  });

  it("should pass the charger's calls to the CSMS and return its answers, while the control loop still leases the session", async () => {
    // Arrange
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });

    // Act
    const charger = await edge.charger('CP-1');
    const transactionId = await edge.startSession(charger);

    // Assert: the CSMS saw the charger's own boot and start, and the charger got the CSMS's transaction id
    expect(csms.of('BootNotification', 'CP-1')).toEqual([
      { chargePointVendor: 'Ampshare', chargePointModel: 'Sim-3p-32A' },
    ]);
    expect(transactionId).toBe(1000);
    expect(csms.of('StartTransaction', 'CP-1')).toHaveLength(1);
    // The control loop saw the same transaction and leased it a limit under that id
    await edge.events.until(
      'session leased',
      () => edge?.profiles.frames.some((f) => f.purpose === 'TxProfile' && f.status === 'Accepted') ?? false,
    );
    expect(edge.events.of('sessionStarted')[0]).toMatchObject({ ref: 'CP-1/1', transactionId: 1000 });
  });

  it('should pass a vendor DataTransfer unchanged both ways, to an independent ocpp-rpc charge point', async () => {
    // Arrange
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });
    client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    const seenByCharger: unknown[] = [];
    client.handle('DataTransfer', ({ params }) => {
      seenByCharger.push(params);
      return Promise.resolve({ status: 'Accepted', data: '{"vendor":"answer","n":[1,2]}' });
    });
    await client.connect();
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);

    // Act
    const up = await client.call('DataTransfer', { vendorId: 'com.example', messageId: 'm1', data: 'payload ü 1' });
    const down = await csms.send('CP-1', 'DataTransfer', { vendorId: 'com.csms', messageId: 'q', data: '[1,{"a":2}]' });

    // Assert
    expect(up).toEqual({ status: 'Accepted', data: 'csms:payload ü 1' });
    expect(csms.of('DataTransfer', 'CP-1')).toEqual([
      { vendorId: 'com.example', messageId: 'm1', data: 'payload ü 1' },
    ]);
    expect(seenByCharger).toEqual([{ vendorId: 'com.csms', messageId: 'q', data: '[1,{"a":2}]' }]);
    expect(down).toEqual({ status: 'Accepted', data: '{"vendor":"answer","n":[1,2]}' });
  });

  it("should put the CSMS's calls and the agent's own in one queue to the charger: one call in flight at a time", async () => {
    // Arrange: a charger that takes a while over every call; the CSMS accepts its boot, so the agent configures it
    const operator = await TsOcppCsms.start();
    csms = operator;
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });
    client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    const calls: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const answers: Record<string, Record<string, unknown>> = {
      GetConfiguration: { configurationKey: [], unknownKey: [] },
      DataTransfer: { status: 'Accepted' },
    };
    client.handle(async ({ method = '' }) => {
      calls.push(method);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return answers[method] ?? { status: 'Accepted' };
    });
    await client.connect();
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);

    // Act: the boot starts the agent's configuration calls while the CSMS sends three calls of its own
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Queue' });
    const fromCsms = await Promise.all(
      ['a', 'b', 'c'].map((data) => operator.send('CP-1', 'DataTransfer', { vendorId: 'com.csms', data })),
    );
    await eventually('the fail-safe installed', () => calls.includes('SetChargingProfile'));

    // Assert: both kinds reached the charger, never two at once
    expect(fromCsms).toEqual([{ status: 'Accepted' }, { status: 'Accepted' }, { status: 'Accepted' }]);
    expect(calls.filter((m) => m === 'DataTransfer')).toHaveLength(3);
    expect(calls.filter((m) => m !== 'DataTransfer').length).toBeGreaterThan(0);
    expect(mostInFlight).toBe(1);
  });

  it("should keep the CSMS's TxProfile as an upstream constraint and pass its ChargePointMaxProfile to the charger", async () => {
    // Arrange
    csms = await TsOcppCsms.start();
    const limits = new RecordedUpstreamLimits();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url }, upstreamLimits: limits });
    const charger = await edge.charger('CP-1');
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);
    const profile = (id: number, purpose: string, limit: number) => ({
      chargingProfileId: id,
      stackLevel: 0,
      chargingProfilePurpose: purpose,
      chargingProfileKind: 'Absolute',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    });

    // Act
    const tx = await csms.send('CP-1', 'SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: profile(7, 'TxDefaultProfile', 10),
    });
    const max = await csms.send('CP-1', 'SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: profile(8, 'ChargePointMaxProfile', 40),
    });

    // Assert
    expect(tx).toEqual({ status: 'Accepted' });
    expect(limits.calls('CP-1')).toEqual([
      {
        action: 'SetChargingProfile',
        payload: { connectorId: 1, csChargingProfiles: profile(7, 'TxDefaultProfile', 10) },
      },
    ]);
    expect(max).toEqual({ status: 'Accepted' });
    const calls = edge.profiles.frames.filter((f) => f.kind === 'call');
    expect(calls.filter((f) => f.purpose === 'ChargePointMaxProfile').map((f) => f.limit)).toEqual([40]);
    // The agent's own fail-safe is a TxDefaultProfile too; the CSMS's (10 A) never reached the charger.
    expect(calls.filter((f) => f.purpose === 'TxDefaultProfile').map((f) => f.limit)).not.toContain(10);
    expect(charger.connectorStatus).toBe('Available');
  });

  it("should cap the agent's lease by the CSMS's TxDefaultProfile: the charger gets the lower of the site's share and the CSMS's limit", async () => {
    // Arrange: the site alone would give the one car 32 A
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });
    const charger = await edge.charger('CP-1');
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);
    const set = await csms.send('CP-1', 'SetChargingProfile', {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 7,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      },
    });

    // Act
    await edge.startSession(charger);
    await edge.events.until(
      'session leased',
      () => edge?.profiles.frames.some((f) => f.purpose === 'TxProfile' && f.status === 'Accepted') ?? false,
    );

    // Assert: before the CSMS limits were wired, the lease was the site's 32 A
    expect(set).toEqual({ status: 'Accepted' });
    const leases = edge.profiles.frames.filter((f) => f.kind === 'call' && f.purpose === 'TxProfile');
    expect(leases.length).toBeGreaterThan(0);
    expect(leases.every((f) => (f.limit ?? Infinity) <= 10)).toBe(true);
  });

  it("should keep the CSMS from replacing the agent's own profiles and from sending a car its profile in a RemoteStartTransaction", async () => {
    // Arrange
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });
    client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    const seen: { method: string; params: unknown }[] = [];
    for (const method of ['RemoteStartTransaction', 'SetChargingProfile', 'ClearChargingProfile'])
      client.handle(method, ({ params }) => {
        seen.push({ method, params });
        return Promise.resolve({ status: 'Accepted' });
      });
    await client.connect();
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);
    const max = (id: number) => ({
      connectorId: 0,
      csChargingProfiles: {
        chargingProfileId: id,
        stackLevel: 0,
        chargingProfilePurpose: 'ChargePointMaxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 63 }] },
      },
    });

    // Act: the agent's fail-safe is profile 1, its lease on connector 1 profile 101
    const sameAsFailSafe = await csms.send('CP-1', 'SetChargingProfile', max(1));
    const sameAsLease = await csms.send('CP-1', 'SetChargingProfile', max(101));
    const sameAsHold = await csms.send('CP-1', 'SetChargingProfile', max(IDLE_HOLD_PROFILE_ID));
    const clearFailSafe = await csms.send('CP-1', 'ClearChargingProfile', { id: 1 });
    const own = await csms.send('CP-1', 'SetChargingProfile', max(900));
    const start = await csms.send('CP-1', 'RemoteStartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      chargingProfile: {
        chargingProfileId: 901,
        stackLevel: 9,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 63 }] },
      },
    });

    // Assert: before, all of them reached the charger as they were
    expect([sameAsFailSafe, sameAsLease, sameAsHold, clearFailSafe]).toEqual([
      { status: 'Rejected' },
      { status: 'Rejected' },
      { status: 'Rejected' },
      { status: 'Unknown' },
    ]);
    expect(own).toEqual({ status: 'Accepted' });
    expect(start).toEqual({ status: 'Accepted' });
    // The agent's own idle hold (profile 2) reaches the charger too; the CSMS's calls are what this test is about
    const fromCsms = seen.filter(
      (s) =>
        (s.params as { csChargingProfiles?: { chargingProfileId: number } }).csChargingProfiles?.chargingProfileId !==
        IDLE_HOLD_PROFILE_ID,
    );
    expect(fromCsms).toEqual([
      { method: 'SetChargingProfile', params: max(900) },
      { method: 'RemoteStartTransaction', params: { connectorId: 1, idTag: 'TAG-1' } },
    ]);
  });
});
