import { afterEach, describe, expect, it } from 'vitest';
import { LEASE_STACK_LEVEL } from '../../../edge/ocpp/charging-profile';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger, type VirtualChargerSpec } from '../../../sim/charger/virtual-charger';
import { FAIL_SAFE_AMPS, startCentralSystem, type Fixture } from './support/central-system-fixture';
import { OcppSchemaAudit } from './support/ocpp-schema-audit';

const PASSWORD = 'a long per-charger secret';

describe('smart charging with virtual chargers', () => {
  const clock = new ManualClock();
  const audit = new OcppSchemaAudit();
  let fixture: Fixture;
  let chargers: VirtualCharger[] = [];

  async function start(specs: VirtualChargerSpec[]): Promise<VirtualCharger[]> {
    fixture = await startCentralSystem(
      specs.map((s) => ({ id: s.id, password: PASSWORD, phases: s.phases, maxAmps: s.maxAmps })),
      {},
      () => clock.now(),
    );
    chargers = specs.map((spec) => new VirtualCharger({ ...spec, password: PASSWORD }, fixture.cs.url, clock));
    chargers.forEach((c) => audit.attach(c.client));
    for (const charger of chargers) {
      expect(await charger.connect()).toBe('Accepted');
      await fixture.events.waitFor('configured', (e) => e.chargerId === charger.spec.id);
    }
    return chargers;
  }

  async function startSession(charger: VirtualCharger): Promise<number> {
    await charger.plugIn({ ...DEFAULT_CAR, phases: charger.spec.phases });
    const transactionId = await charger.authorizeAndStart('TAG-1');
    clock.advance(charger.spec.rampDelayMs);
    return transactionId!;
  }

  afterEach(async () => {
    await Promise.all(chargers.map((c) => c.close()));
    await fixture.close();
    expect(audit.checked).toBeGreaterThan(0);
    expect(audit.violations).toEqual([]);
  });

  it('should run on the fail-safe default, follow a leased limit and fall back when the lease lapses', async () => {
    // Arrange
    const [charger] = await start([{ ...DEFAULT_CHARGER, id: 'CP-A' }]);
    const transactionId = await startSession(charger!);
    expect(charger!.configuration('MeterValueSampleInterval')).toBe('10');
    expect(charger!.drawAmps).toBe(FAIL_SAFE_AMPS);

    // Act
    const result = await fixture.leases.sendLease('CP-A', {
      connectorId: 1,
      transactionId,
      amps: 16,
      phases: 3,
      minAmps: 6,
      leaseSeconds: 60,
    });
    clock.advance(2_000);
    clock.advance(8_000);
    const during = await fixture.events.waitFor('meterValues', (e) => e.sample.measurement?.amps[0] === 16);
    const composite = await fixture.cs.command('CP-A', 'GetCompositeSchedule', { connectorId: 1, duration: 120 });
    clock.advance(50_000 + DEFAULT_CHARGER.rampDelayMs);
    clock.advance(10_000);
    const after = await fixture.events.waitFor(
      'meterValues',
      (e) => e.at > during.at && e.sample.measurement?.amps[0] === FAIL_SAFE_AMPS,
    );

    // Assert
    expect(result.kind).toBe('accepted');
    expect(during.sample).toMatchObject({ offeredAmps: 16, measurement: { amps: [16, 16, 16] } });
    expect(composite.kind === 'accepted' && composite.response.chargingSchedule?.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 16 },
      { startPeriod: 50, limit: FAIL_SAFE_AMPS },
    ]);
    expect(after.sample.offeredAmps).toBe(FAIL_SAFE_AMPS);
    expect(charger!.profiles.count()).toBe(2);
    expect(LEASE_STACK_LEVEL).toBeGreaterThan(0);
  });

  it('should give a car that plugs in nothing under the idle hold, and the fail-safe once its lease lapses', async () => {
    // Arrange: the idle hold is in place before the car plugs in
    const [charger] = await start([{ ...DEFAULT_CHARGER, id: 'CP-H' }]);
    const hold = await fixture.leases.sendIdleHold('CP-H', 240);
    const transactionId = await startSession(charger!);
    const waiting = charger!.offeredAmps;

    // Act: a lease with its fail-safe tail, then nobody renews it (the agent is gone)
    const lease = await fixture.leases.sendLease('CP-H', {
      connectorId: 1,
      transactionId,
      amps: 16,
      phases: 3,
      minAmps: 6,
      leaseSeconds: 60,
      fallbackAmps: FAIL_SAFE_AMPS,
    });
    clock.advance(DEFAULT_CHARGER.rampDelayMs);
    const leased = charger!.offeredAmps;
    clock.advance(60_000 + DEFAULT_CHARGER.rampDelayMs);

    // Assert: the hold (still valid for three minutes) applies to the car without a lease, never to the one whose lease ran out
    expect([hold.kind, lease.kind]).toEqual(['accepted', 'accepted']);
    expect(waiting).toBe(0);
    expect(leased).toBe(16);
    expect(charger!.offeredAmps).toBe(FAIL_SAFE_AMPS);
  });

  it('should send watts to a charger that only takes power, and the 1-phase car still gets its amps', async () => {
    // Arrange
    const [charger] = await start([{ ...DEFAULT_CHARGER, id: 'CP-W', phases: 1, maxAmps: 32, rateUnits: ['W'] }]);
    const transactionId = await startSession(charger!);

    // Act
    const result = await fixture.leases.sendLease('CP-W', {
      connectorId: 1,
      transactionId,
      amps: 20,
      phases: 1,
      minAmps: 6,
      leaseSeconds: 300,
    });
    clock.advance(DEFAULT_CHARGER.rampDelayMs);

    // Assert
    expect(fixture.cs.capabilities('CP-W')?.rateUnit).toBe('W');
    expect(result.kind).toBe('accepted');
    expect(charger!.offeredAmps).toBeCloseTo(20, 5);
    expect(charger!.drawAmps).toBeCloseTo(20, 5);
  });

  it('should come back as a typed rejection when a charger refuses profiles', async () => {
    // Arrange
    const [charger] = await start([{ ...DEFAULT_CHARGER, id: 'CP-R', rejectsProfiles: true }]);
    const configured = fixture.events.of('configured', 'CP-R')[0]!;
    const transactionId = await startSession(charger!);

    // Act
    const result = await fixture.leases.sendLease('CP-R', {
      connectorId: 1,
      transactionId,
      amps: 10,
      phases: 3,
      minAmps: 6,
      leaseSeconds: 60,
    });

    // Assert
    expect(configured.failSafeInstalled).toBe(false);
    expect(result).toEqual({ kind: 'rejected', response: { status: 'Rejected' } });
    expect(charger!.offeredAmps).toBe(DEFAULT_CHARGER.maxAmps);
  });

  it('should end the session with a stop, transaction data and an unplug', async () => {
    // Arrange
    const [charger] = await start([{ ...DEFAULT_CHARGER, id: 'CP-S' }]);
    const transactionId = await startSession(charger!);
    clock.advance(3_600_000);

    // Act
    await charger!.unplug();
    const stopped = await fixture.events.waitFor('transactionStopped', (e) => e.transactionId === transactionId);
    const available = await fixture.events.waitFor(
      'status',
      (e) => e.chargerId === 'CP-S' && e.status === 'Available' && e.at >= stopped.at,
    );

    // Assert
    expect(stopped.reason).toBe('EVDisconnected');
    expect(stopped.meterStopWh).toBeGreaterThan(4_000);
    expect(stopped.sample?.energyWh).toBe(stopped.meterStopWh);
    expect(available.status).toBe('Available');
    expect(charger!.profiles.count()).toBe(1);
  });
});
