import ocppRpc from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import type { LeaseRequest } from '../../../../edge/control/control-ports';
import { ChargerConnections } from '../../../../edge/ocpp/charger-connections';
import { OcppLeaseSender, type LeaseCeiling } from '../../../../edge/ocpp/lease-sender';
import type { RpcServerClient } from '../../../../edge/ocpp/rpc-server-client';
import type { CeilingAmps } from '../../../../edge/upstream/csms-stack';
import { CsmsLimits } from '../../../../edge/upstream/csms-limits';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { setProfile } from '../upstream/csms-profiles';

const { RPCError } = ocppRpc;

const NOW = Date.parse('2026-12-01T08:00:00Z');
const LEASE: LeaseRequest = { connectorId: 1, transactionId: 41, amps: 20, phases: 3, minAmps: 6, leaseSeconds: 120 };

interface SentPeriod {
  readonly limit: number;
  readonly numberPhases: number;
}

interface SentProfile {
  readonly validTo: string;
  readonly chargingSchedule: { readonly chargingSchedulePeriod: SentPeriod[] };
}

function harness(ceiling?: LeaseCeiling, clock = new ManualClock(NOW)) {
  const sent: SentPeriod[] = [];
  const profiles: SentProfile[] = [];
  /**
   * What the charger answers next: Accepted, or no usable answer (a CALLERROR, as a lost or refused call); and, while
   * `answerAfter` is set, not before it resolves (a charger slow to answer).
   */
  const charger: { answers: boolean; answerAfter?: Promise<void> } = { answers: true };
  const client = {
    call: async (_method: string, params: { csChargingProfiles: SentProfile }) => {
      profiles.push(params.csChargingProfiles);
      sent.push(...params.csChargingProfiles.chargingSchedule.chargingSchedulePeriod);
      await charger.answerAfter;
      if (!charger.answers) throw new RPCError('charger busy');
      return { status: 'Accepted' };
    },
  };
  const connections = new ChargerConnections();
  connections.set('CP-1', { client: client as unknown as RpcServerClient, caller: client, openedAt: 0 });
  const sender = new OcppLeaseSender(connections, { nominalVolts: 230, commandTimeoutMs: 1000 }, clock, ceiling);
  return { sender, sent, profiles, clock, charger };
}

/** A ceiling that never changes. */
function fixed(lowestDuring: LeaseCeiling['lowestDuring']): LeaseCeiling {
  return { lowestDuring, nextChange: () => undefined, onChange: () => {}, transactionOn: () => LEASE.transactionId };
}

/** The CSMS's limits with a transaction running on connector 1. */
function csmsLimits(): CsmsLimits {
  const csms = new CsmsLimits({ nominalVolts: 230, maxProfilesPerCharger: 8 });
  csms.transactionStarted('CP-1', 1, { transactionId: LEASE.transactionId, startedAt: NOW - 60_000 });
  return csms;
}

/** The CSMS's limits with a transaction running on connector 1 and an Absolute schedule from now ([second, amps]). */
async function csmsScheduleFromNow(periods: readonly (readonly [number, number])[]): Promise<CsmsLimits> {
  const csms = csmsLimits();
  const startSchedule = new Date(NOW).toISOString();
  await csms.record('CP-1', 'SetChargingProfile', setProfile({ kind: 'Absolute', startSchedule, periods }));
  return csms;
}

/** Lets the sender's answers (promises) settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('OcppLeaseSender with a CSMS ceiling', () => {
  it('should send the allocation unchanged without a ceiling', async () => {
    const { sender, sent } = harness();

    expect(await sender.sendLease('CP-1', LEASE)).toMatchObject({ kind: 'accepted' });
    expect(sent).toEqual([{ startPeriod: 0, limit: 20, numberPhases: 3 }]);
  });

  it('should ask for the lowest limit over the whole lease and send the lower of it and the allocation', async () => {
    const asked: unknown[] = [];
    const { sender, sent } = harness(fixed((...args) => (asked.push(args), { amps: 13.37, phases: 2 })));

    await sender.sendLease('CP-1', LEASE);

    expect(asked[0]).toEqual(['CP-1', LEASE, NOW, NOW + 120_000]);
    expect(sent).toEqual([{ startPeriod: 0, limit: 13.3, numberPhases: 2 }]);
  });

  it.each<[string, CeilingAmps | undefined, number]>([
    ['a ceiling above the allocation', { amps: 32, phases: 3 }, 20],
    ['no limit from the CSMS', undefined, 20],
    ['a ceiling below what a car can charge at (a pause)', { amps: 4, phases: 3 }, 0],
  ])('should send the allocation as capped by %s', async (_name, ceiling, amps) => {
    const { sender, sent } = harness(fixed(() => ceiling));

    await sender.sendLease('CP-1', LEASE);

    expect(sent[0]?.limit).toBe(amps);
  });
});

describe('OcppLeaseSender following the CSMS within a lease', () => {
  it('should send the lease again at once, capped and with the same expiry, when the CSMS lowers its limit', async () => {
    // Arrange: the charger holds the site's 20 A
    const csms = csmsLimits();
    const { sender, sent, profiles, clock } = harness(csms);
    await sender.sendLease('CP-1', LEASE);
    clock.advance(30_000);

    // Act
    await csms.record('CP-1', 'SetChargingProfile', setProfile({ purpose: 'TxProfile', periods: [[0, 10]] }));
    await settle();

    // Assert: before, the cut waited for the control loop's next lease
    expect(sent.map((p) => p.limit)).toEqual([20, 10]);
    expect(profiles[1]?.validTo).toBe(profiles[0]?.validTo);
  });

  it('should send the lease again, capped, when the CSMS cuts while the lease is on its way to the charger', async () => {
    // Arrange: the charger is slow to answer the site's 20 A
    const csms = csmsLimits();
    const { sender, sent, profiles, charger } = harness(csms);
    let answer = () => {};
    charger.answerAfter = new Promise<void>((resolve) => (answer = resolve));
    const outcome = sender.sendLease('CP-1', LEASE);
    await settle();

    // Act: the CSMS cuts to 10 A before the charger accepts the 20 A
    await csms.record('CP-1', 'SetChargingProfile', setProfile({ purpose: 'TxProfile', periods: [[0, 10]] }));
    charger.answerAfter = undefined;
    answer();
    await outcome;
    await settle();

    // Assert: the cut follows the accepted lease at once, with the same expiry
    expect(sent.map((p) => p.limit)).toEqual([20, 10]);
    expect(profiles[1]?.validTo).toBe(profiles[0]?.validTo);
  });

  it('should not send again when the CSMS changes nothing in force, nor raise a lease above its allocation', async () => {
    const csms = csmsLimits();
    const { sender, sent } = harness(csms);
    await sender.sendLease('CP-1', LEASE);

    await csms.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 25]] }));
    await csms.record('CP-1', 'SetChargingProfile', setProfile({ id: 2, connectorId: 2, periods: [[0, 8]] }));
    await settle();

    expect(sent.map((p) => p.limit)).toEqual([20]);
  });

  it("should send the lease again at the instant the CSMS's schedule changes inside it", async () => {
    // Arrange: the CSMS allows 10 A for the first minute, then 16 A, then 8 A after 200 s (past the lease)
    const csms = await csmsScheduleFromNow([
      [0, 10],
      [60, 16],
      [200, 8],
    ]);
    const { sender, sent, clock } = harness(csms);
    await sender.sendLease('CP-1', LEASE);

    // Act and assert: nothing more until the minute is up, then the car gets the rise (the lowest left in the lease)
    clock.advance(59_000);
    await settle();
    expect(sent.map((p) => p.limit)).toEqual([10]);
    clock.advance(1_000);
    await settle();
    expect(sent.map((p) => p.limit)).toEqual([10, 16]);
  });

  it('should stop following a lease once the control loop sent the next one, or once it expired', async () => {
    const csms = csmsLimits();
    const { sender, sent, clock } = harness(csms);
    await sender.sendLease('CP-1', LEASE);
    await sender.sendLease('CP-1', { ...LEASE, amps: 12 });
    await csms.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 14]] }));
    await settle();
    expect(sent.map((p) => p.limit)).toEqual([20, 12]);

    clock.advance(120_000);
    await csms.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 8]] }));
    await settle();
    expect(sent.map((p) => p.limit)).toEqual([20, 12]);
  });
});

describe('OcppLeaseSender following the CSMS after a failed lease, and not past its transaction', () => {
  it("should send a lease whose sending failed again, capped, when the CSMS's next change arrives", async () => {
    // Arrange: the charger holds 20 A; the control loop's raise to 24 A gets no answer
    const csms = csmsLimits();
    const { sender, sent, profiles, charger } = harness(csms);
    await sender.sendLease('CP-1', LEASE);
    charger.answers = false;
    expect(await sender.sendLease('CP-1', { ...LEASE, amps: 24 })).toMatchObject({ kind: 'error' });
    charger.answers = true;

    // Act: the CSMS cuts the car to 10 A
    await csms.record('CP-1', 'SetChargingProfile', setProfile({ purpose: 'TxProfile', periods: [[0, 10]] }));
    await settle();

    // Assert: the cut reaches the charger (before, it waited for the control loop's next accepted lease); the lease
    // keeps the expiry of the one the control loop counts on, the 20 A one
    expect(sent.map((p) => p.limit)).toEqual([20, 24, 10]);
    expect(profiles[2]?.validTo).toBe(profiles[0]?.validTo);
  });

  it('should follow a failed lease with no more than the lease the charger accepted before it', async () => {
    // Arrange: the charger holds 12 A; the raise to 24 A fails
    const csms = csmsLimits();
    const { sender, sent, charger } = harness(csms);
    await sender.sendLease('CP-1', { ...LEASE, amps: 12 });
    charger.answers = false;
    await sender.sendLease('CP-1', { ...LEASE, amps: 24 });
    charger.answers = true;

    // Act: the CSMS allows 16 A, above what the control loop counts the car as holding
    await csms.record('CP-1', 'SetChargingProfile', setProfile({ purpose: 'TxProfile', periods: [[0, 16]] }));
    await settle();

    // Assert: the failed raise is not made behind the control loop's back
    expect(sent.map((p) => p.limit)).toEqual([12, 24, 12]);
  });

  it('should not send a lease again for a transaction that has ended', async () => {
    // Arrange: a lease for transaction 41, which then ends
    const csms = csmsLimits();
    const { sender, sent } = harness(csms);
    await sender.sendLease('CP-1', LEASE);
    csms.transactionEnded('CP-1', 1);

    // Act: the CSMS caps the whole charger
    await csms.record(
      'CP-1',
      'SetChargingProfile',
      setProfile({ purpose: 'ChargePointMaxProfile', periods: [[0, 10]] }),
    );
    await settle();

    // Assert: before, the lease went out once more for transaction 41 (and the charger refused it)
    expect(sent.map((p) => p.limit)).toEqual([20]);
  });

  it("should not send a lease again at a change of the CSMS's schedule after its transaction ended", async () => {
    const csms = await csmsScheduleFromNow([
      [0, 10],
      [60, 16],
    ]);
    const { sender, sent, clock } = harness(csms);
    await sender.sendLease('CP-1', LEASE);
    csms.transactionEnded('CP-1', 1);

    clock.advance(60_000);
    await settle();

    expect(sent.map((p) => p.limit)).toEqual([10]);
  });
});

describe('OcppLeaseSender: the fail-safe tail and the idle hold', () => {
  /** A charger that takes `maxPeriods` schedule periods per profile at most, as `ChargingScheduleMaxPeriods` says. */
  function charger(maxPeriods: number, reported?: number) {
    const profiles: SentProfile[] = [];
    const client = {
      call: (_method: string, params: { csChargingProfiles: SentProfile }) => {
        profiles.push(params.csChargingProfiles);
        const periods = params.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.length;
        return Promise.resolve({ status: periods <= maxPeriods ? 'Accepted' : 'Rejected' });
      },
    };
    const connections = new ChargerConnections();
    connections.set('CP-1', {
      client: client as unknown as RpcServerClient,
      caller: client,
      openedAt: 0,
      capabilities: {
        rateUnit: 'A',
        maxStackLevel: 3,
        phaseRotation: undefined,
        numberOfConnectors: 1,
        ...(reported !== undefined && { maxSchedulePeriods: reported }),
      },
    });
    const sender = new OcppLeaseSender(
      connections,
      { nominalVolts: 230, commandTimeoutMs: 1000 },
      new ManualClock(NOW),
    );
    return { sender, profiles };
  }

  it('should send a lease with its fail-safe as a second period and no end', async () => {
    const { sender, profiles } = charger(8);

    expect(await sender.sendLease('CP-1', { ...LEASE, fallbackAmps: 6 })).toMatchObject({ kind: 'accepted' });
    expect(profiles[0]!.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit)).toEqual([20, 6]);
    expect(profiles[0]!.validTo).toBeUndefined();
  });

  it('should send a lease that ends with its limit again at once, and no idle hold, to a charger that refused the tail', async () => {
    const { sender, profiles } = charger(1);

    const lease = await sender.sendLease('CP-1', { ...LEASE, fallbackAmps: 6 });
    const hold = await sender.sendIdleHold('CP-1', 240);
    await sender.sendLease('CP-1', { ...LEASE, fallbackAmps: 6 });

    expect(lease).toMatchObject({ kind: 'accepted' });
    expect(profiles.map((p) => p.chargingSchedule.chargingSchedulePeriod.length)).toEqual([2, 1, 1]);
    expect(profiles[1]!.validTo).toBe('2026-12-01T08:02:00Z');
    // A hold would pause its cars once a lease ran out: the charger keeps the fail-safe rules
    expect(hold).toEqual({ kind: 'rejected' });
  });

  it('should send no tail, and no idle hold, to a charger that reports one schedule period', async () => {
    const { sender, profiles } = charger(1, 1);

    await sender.sendLease('CP-1', { ...LEASE, fallbackAmps: 6 });

    expect(profiles.map((p) => p.chargingSchedule.chargingSchedulePeriod.length)).toEqual([1]);
    expect(await sender.sendIdleHold('CP-1', 240)).toEqual({ kind: 'rejected' });
  });

  it('should send the idle hold to connector 0 of a charger that takes it', async () => {
    const { sender, profiles } = charger(8, 8);

    expect(await sender.sendIdleHold('CP-1', 240)).toMatchObject({ kind: 'accepted' });
    expect(profiles[0]).toMatchObject({
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      validTo: '2026-12-01T08:04:00Z',
    });
  });
});
