import { describe, expect, it } from 'vitest';
import { atFailSafeMs, leaseEndMs } from '../../../bench/fail-safe-time';
import { buildFailSafeProfile, buildLeaseProfile } from '../../../edge/ocpp/charging-profile-builder';

const RATE = { rateUnit: 'A', nominalVolts: 230 } as const;
const T0 = Date.parse('2026-12-05T00:00:00Z');
const lease = (atMs: number, amps: number, withFallback = true) => ({
  atMs,
  params: {
    connectorId: 1,
    csChargingProfiles: buildLeaseProfile(
      {
        connectorId: 1,
        transactionId: 7,
        amps,
        phases: 3,
        minAmps: 6,
        leaseSeconds: 30,
        ...(withFallback && { fallbackAmps: 6 }),
      },
      RATE,
      atMs,
    ),
  },
});

describe("a charger's time at its fail-safe across a takeover", () => {
  it('should end a lease with a fail-safe tail where its leased period ends, 30 s after it was built', () => {
    expect(leaseEndMs(lease(T0, 16).params)).toBe(T0 + 30_000);
  });

  it('should end a lease without a tail at its validTo', () => {
    expect(leaseEndMs(lease(T0, 16, false).params)).toBe(T0 + 30_000);
  });

  it("should count from the old lease's end to the new master's first lease", () => {
    const profiles = [lease(T0, 16), lease(T0 + 10_000, 10)];
    const killedAtMs = T0 + 12_000;

    // The old lease holds until T0 + 40 s; the new master's first lease comes at T0 + 55 s.
    expect(atFailSafeMs([...profiles, lease(T0 + 55_000, 8)], killedAtMs, T0 + 90_000)).toBe(15_000);
    // A new lease before the old one ended: no time at the fail-safe.
    expect(atFailSafeMs([...profiles, lease(T0 + 30_000, 8)], killedAtMs, T0 + 90_000)).toBe(0);
    // No new lease: until the end of the watch.
    expect(atFailSafeMs(profiles, killedAtMs, T0 + 90_000)).toBe(50_000);
  });

  it('should count from the kill when the old lease had already ended, and ignore other profiles', () => {
    const idle = {
      atMs: T0 + 1_000,
      params: { connectorId: 0, csChargingProfiles: buildFailSafeProfile({ amps: 6, phases: 3, minAmps: 6 }, RATE) },
    };
    const killedAtMs = T0 + 60_000;

    expect(atFailSafeMs([lease(T0, 16), idle, lease(T0 + 70_000, 8)], killedAtMs, T0 + 90_000)).toBe(10_000);
  });
});
