import { afterEach, describe, expect, it } from 'vitest';
import type { MeterInput } from '../../../../edge/control/control-inputs';
import {
  ACCEPTED,
  REJECTED,
  TIMEOUT,
  onTime,
  plugIn,
  startHarness,
  testPolicy,
  testSite,
  type Harness,
} from './control-harness';

const amps = (h: Harness, ref: string) => h.controller.allocation?.connectors.find((c) => c.ref === ref)?.amps;
const lastLease = (h: Harness, chargerId: string) =>
  h.sender.sent.filter((s) => s.chargerId === chargerId).at(-1)?.lease.amps;

describe('LoadController', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('should lease a plugged-in car its share and renew the lease before it expires', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy());

    // Act
    plugIn(h, 'CP-1', 1);
    await h.settle();
    const first = h.sender.sent.length;
    await h.settle(25_000);

    // Assert
    expect(amps(h, 'CP-1/1')).toBe(32);
    expect(h.sender.sent[0]).toMatchObject({
      chargerId: 'CP-1',
      lease: { amps: 32, transactionId: 1, leaseSeconds: 60, phases: 3 },
    });
    expect(first).toBe(1);
    expect(h.sender.sent.length).toBe(2);
    expect(h.log.of('profileAccepted').map((e) => e.change)).toEqual(['increase', 'renewal']);
  });

  it('should send decreases first and hold increases until they are accepted', async () => {
    // Arrange
    h = startHarness(testSite(3), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle();
    h.sender.respond = () => undefined;

    // Act: a second car halves the first one's share
    plugIn(h, 'CP-2', 2);
    await h.settle();
    const whileHeld = h.sender.sent.slice(1).map((s) => [s.chargerId, s.lease.amps]);
    h.sender.respond = () => ACCEPTED;
    h.sender.sent.filter((s) => !s.answered).forEach((s) => s.answer(ACCEPTED));
    const cutAcceptedAt = h.clock.now();
    await h.settle(6_000);

    // Assert: CP-2 stays at its 6 A fail-safe until CP-1's cut was accepted and its car had 5 s to follow it
    expect(whileHeld).toEqual([
      ['CP-1', 16],
      ['CP-2', 6],
    ]);
    const raise = h.sender.sent.find((s) => s.chargerId === 'CP-2' && s.lease.amps === 16);
    expect(raise?.at).toBeGreaterThanOrEqual(cutAcceptedAt + 5_000);
  });

  it('should ask for fresh samples after a cut the charger accepted, as after a raise', async () => {
    // Arrange: CP-1 charges at 32 A
    h = startHarness(testSite(3), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle(20_000);
    const before = h.sender.sampleRequests.length;

    // Act: a second car halves CP-1's share; the cut is accepted at once
    plugIn(h, 'CP-2', 2);
    await h.settle(200);
    const cutAt = h.sender.sent.find((s) => s.chargerId === 'CP-1' && s.lease.amps === 16)?.at;
    await h.settle(6_000);

    // Assert: CP-1 was asked for a sample soon after the cut (it counted as no change once answered, so it never was)
    const asked = h.sender.sampleRequests.slice(before).filter((r) => r.chargerId === 'CP-1');
    expect(cutAt).toBeDefined();
    expect(asked.some((r) => r.at > cutAt! && r.at <= cutAt! + 2_000)).toBe(true);
  });

  it('should retry a rejected decrease with back-off, report it and keep increases back meanwhile', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy(), { settings: { unresponsiveAfterFailures: 5 } });
    plugIn(h, 'CP-1', 1);
    await h.settle();
    h.sender.respond = (id) => (id === 'CP-1' ? REJECTED : ACCEPTED);

    // Act
    plugIn(h, 'CP-2', 2);
    await h.settle();
    await h.settle(1_000);
    const failed = h.log.of('profileFailed');
    const sentToCp2Before = h.sender.sent.filter((s) => s.chargerId === 'CP-2' && s.lease.amps > 6).length;
    h.sender.respond = () => ACCEPTED;
    // The retry lands at its back-off; CP-1's car then has 5 s to follow before CP-2 may rise.
    await h.settle(12_000);

    // Assert
    expect(failed.map((f) => [f.chargerId, f.outcome, f.failures, f.retryInMs])).toEqual([
      ['CP-1', 'rejected', 1, 1000],
      ['CP-1', 'rejected', 2, 2000],
    ]);
    expect(sentToCp2Before).toBe(0);
    expect(lastLease(h, 'CP-1')).toBe(16);
    expect(lastLease(h, 'CP-2')).toBe(16);
  });

  it('should mark a charger unresponsive after repeated timeouts and reserve what it last accepted', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle();
    h.sender.respond = (id) => (id === 'CP-1' ? TIMEOUT : ACCEPTED);

    // Act
    plugIn(h, 'CP-2', 2);
    await h.settle(5_000);

    // Assert: CP-1 still holds 32 A, so CP-2 gets what is left (nothing above its minimum fits)
    expect(h.log.of('chargerUnresponsive').map((e) => e.chargerId)).toEqual(['CP-1']);
    expect(h.runtime.link('CP-1')).toBe('unresponsive');
    const cp1 = h.controller.allocation!.connectors.find((c) => c.ref === 'CP-1/1')!;
    expect(cp1.reason).toBe('unresponsive');
    expect(amps(h, 'CP-2/1')).toBe(0);
    expect(h.sender.sent.filter((s) => s.chargerId === 'CP-2' && s.lease.amps > 6)).toEqual([]);
  });

  it('should reserve what an offline charger holds: its accepted lease until it expires, then its fail-safe', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy());
    plugIn(h, 'CP-1', 1);
    plugIn(h, 'CP-2', 2);
    await h.settle();

    // Act: CP-1 drops with its 16 A lease running (60 s)
    h.controller.onChargerInput({ type: 'disconnected', chargerId: 'CP-1', at: h.clock.now() });
    await h.settle();
    const whileLeased = amps(h, 'CP-2/1');
    // The lease runs 60 s; its car then has up to 5 s to follow the fail-safe.
    await h.settle(60_000 + 5_000);

    // Assert
    expect(h.controller.allocation!.connectors.find((c) => c.ref === 'CP-1/1')!.reason).toBe('offline');
    expect(whileLeased).toBe(16);
    expect(amps(h, 'CP-2/1')).toBe(26);
  });

  it('should reserve the fail-safe of an offline charger without a car, since one may plug in meanwhile', async () => {
    // Arrange: a 12 A budget, CP-2 never connects
    h = startHarness(
      testSite(2),
      testPolicy({ budget: { unit: 'A', min: 6, max: 12 }, failSafe: { connectorAmps: 6.5 }, granularityAmps: 1 }),
      { connected: false },
    );

    // Act
    plugIn(h, 'CP-1', 1);
    await h.settle();

    // Assert: the 6.5 A fail-safe is reserved rounded up, 7 A, and CP-1 gets the rest
    expect(h.controller.allocation!.connectors.find((c) => c.ref === 'CP-2/1')).toMatchObject({
      reason: 'offline',
      amps: 7,
    });
    expect(amps(h, 'CP-1/1')).toBe(0);
    expect(h.sender.sent.filter((s) => s.lease.amps > 5)).toEqual([]);
  });

  it('should reserve what an unresponsive charger enforces (its fail-safe when it never accepted a lease), not its last allocation', async () => {
    // Arrange: CP-1 takes its fail-safe but refuses every lease
    h = startHarness(testSite(2), testPolicy(), { settings: { unresponsiveAfterFailures: 1 } });
    h.sender.respond = (id) => (id === 'CP-1' ? REJECTED : ACCEPTED);
    plugIn(h, 'CP-1', 1);
    await h.settle(1_000);

    // Act
    plugIn(h, 'CP-2', 2);
    await h.settle(1_000);

    // Assert
    expect(h.runtime.link('CP-1')).toBe('unresponsive');
    expect(h.controller.allocation!.connectors.find((c) => c.ref === 'CP-1/1')).toMatchObject({
      reason: 'unresponsive',
      amps: 6,
    });
    expect(amps(h, 'CP-2/1')).toBe(26);
  });

  it('should keep sending 3-phase limits to a 3-phase car whose single samples show a phase below 1 A', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy({ closedLoop: { enabled: true } }));
    plugIn(h, 'CP-1', 1);
    await h.settle();
    const meterValues = (amps: [number, number, number]) =>
      h.controller.onChargerInput({
        type: 'meterValues',
        chargerId: 'CP-1',
        at: h.clock.now(),
        connectorId: 1,
        transactionId: 1,
        sample: { measurement: { amps, at: h.clock.now() } },
        sampledAt: onTime(h.clock.now()),
      });

    // Act: a noisy sample among steady ones, then a lease renewal
    for (const amps of [
      [31, 31, 31],
      [31, 31, 0.4],
      [31, 31, 31],
      [31, 0.6, 31],
    ] as [number, number, number][]) {
      meterValues(amps);
      await h.settle(1_000);
    }
    await h.settle(25_000);

    // Assert
    expect(h.sender.sent.map((s) => s.lease.phases)).toEqual(h.sender.sent.map(() => 3));
    expect(h.controller.allocation!.connectors[0]!.phases).toBe(3);
  });

  it('should end a session, forget its lease and give the freed current to the others', async () => {
    // Arrange
    h = startHarness(testSite(2), testPolicy());
    const startedAt = h.clock.now();
    plugIn(h, 'CP-1', 1);
    plugIn(h, 'CP-2', 2);
    await h.settle();

    // Act
    h.controller.onChargerInput({
      type: 'transactionStopped',
      chargerId: 'CP-1',
      at: h.clock.now(),
      transactionId: 1,
      meterStopWh: 1500,
      reason: 'EVDisconnected',
      stoppedAt: onTime(h.clock.now()),
    });
    await h.settle();

    // Assert
    expect(h.log.of('sessionEnded')).toMatchObject([
      { ref: 'CP-1/1', transactionId: 1, startedAt, idTag: 'TAG', energyWh: 1500 },
    ]);
    expect(lastLease(h, 'CP-2')).toBe(32);
  });

  it('should not store a stop time the charger dates before its own start, but the time of receipt', async () => {
    // Arrange: the charger's clock jumped back between start and stop (by less than the 30 days the clock check allows)
    h = startHarness(testSite(1), testPolicy());
    plugIn(h, 'CP-1', 1);
    await h.settle();
    h.clock.advance(60_000);
    const receivedAt = h.clock.now();

    // Act
    h.controller.onChargerInput({
      type: 'transactionStopped',
      chargerId: 'CP-1',
      at: receivedAt,
      transactionId: 1,
      meterStopWh: 1500,
      reason: 'Local',
      stoppedAt: { at: receivedAt - 3_600_000, receivedAt, source: 'charger' },
    });
    await h.settle();

    // Assert
    expect(
      h.db.prepare('SELECT stopped_at, stop_received_at, stop_time_source FROM transactions WHERE id = 1').get(),
    ).toEqual({ stopped_at: receivedAt, stop_received_at: receivedAt, stop_time_source: 'receivedClockBehind' });
    expect(h.log.of('sessionEnded')[0]?.stoppedAt).toBe(receivedAt);
  });
});

describe('LoadController with a grid meter', () => {
  let h: Harness;
  afterEach(async () => h.close());

  const dynamicSite = testSite(2, { circuits: [{ id: 'main', parent: null, fuseAmps: 40, meterId: 'grid' }] });
  const dynamicPolicy = testPolicy({
    budget: { unit: 'A', min: 6, max: 40 },
    control: { mode: 'dynamic', safetyMarginAmps: 0, staleMeter: { afterSeconds: 5, fallbackAmps: 16 } },
  });
  const TIMEOUT = { reason: 'meterFault.timeout', params: { count: 6, address: 0, seconds: 1 } } as const;
  const sample = (h: Harness, building: number, valid = true): MeterInput =>
    valid
      ? {
          reading: { meterId: 'grid', at: h.clock.now(), valid: true, amps: [building, building, building] },
          fault: undefined,
        }
      : {
          reading: { meterId: 'grid', at: h.clock.now(), valid: false, amps: [0, 0, 0] },
          fault: TIMEOUT,
        };

  it('should cut the cars when building load rises, fall back when the meter goes quiet and recover when it returns', async () => {
    // Arrange
    h = startHarness(dynamicSite, dynamicPolicy);
    plugIn(h, 'CP-1', 1);
    h.controller.onMeterInput(sample(h, 10));
    await h.settle();
    const before = amps(h, 'CP-1/1');
    // Once its limit held still, the car shows it draws nothing (so the meter reads building load alone).
    for (let s = 0; s < 6; s++) {
      h.controller.onMeterInput(sample(h, 10));
      await h.settle(1_000);
    }
    h.controller.onChargerInput({
      type: 'meterValues',
      chargerId: 'CP-1',
      at: h.clock.now(),
      connectorId: 1,
      transactionId: 1,
      sample: { measurement: { amps: [0, 0, 0], at: h.clock.now() } },
      sampledAt: onTime(h.clock.now()),
    });
    h.controller.onMeterInput(sample(h, 10));
    await h.settle();

    // Act 1: building load steps up
    h.controller.onMeterInput(sample(h, 30));
    await h.settle();
    const afterStep = lastLease(h, 'CP-1');

    // Act 2: the meter only answers garbage, then nothing
    h.controller.onMeterInput(sample(h, 0, false));
    await h.settle(4_000);
    const justBefore = h.log.of('meterLost').length;
    await h.settle(1_100);
    const lost = h.log.of('meterLost');
    const fallback = amps(h, 'CP-1/1');

    // Act 3: it comes back
    h.controller.onMeterInput(sample(h, 10));
    await h.settle();

    // Assert
    expect(before).toBe(30);
    // 40 A less 30 A, less the band the car's samples take in the estimate (0.05 A per phase: a 0.1 A step)
    expect(afterStep).toBe(9.9);
    expect(justBefore).toBe(0);
    expect(lost).toMatchObject([{ meterId: 'grid', circuitId: 'main', reason: TIMEOUT }]);
    expect(fallback).toBe(16);
    expect(h.log.of('meterRecovered')).toHaveLength(1);
    // 40 A less 10 A, less the band
    expect(amps(h, 'CP-1/1')).toBe(29.9);
  });
});
