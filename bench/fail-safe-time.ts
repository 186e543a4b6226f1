/**
 * How long a charger ran on its fail-safe across a takeover (the failover bench, docs/benchmarks.md): from when the
 * old master's last lease stopped holding (not before the kill) to the new master's first lease. Meanwhile the charger
 * enforces what lies under the lease: the lease profile's own last period (the fail-safe, charging-profile-builder.ts)
 * or, for a lease that ends with `validTo` or its schedule's `duration`, the fail-safe default profile below it.
 */

/** A SetChargingProfile as the charger received it, epoch ms. */
export interface ReceivedProfile {
  readonly atMs: number;
  readonly params: Record<string, unknown>;
}

interface LeaseProfile {
  readonly chargingProfilePurpose?: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly chargingSchedule?: {
    readonly startSchedule?: string;
    readonly duration?: number;
    readonly chargingSchedulePeriod?: readonly { readonly startPeriod: number }[];
  };
}

/**
 * When a TxProfile's leased limit stops holding: its first period's end (the agent's lease is the leased limit, then
 * the fail-safe as a last period with no end), its `validTo` or its schedule's end, whichever comes first; Infinity for
 * a profile that holds until its transaction ends. Undefined for another profile. (Reading only `validTo`, the bench
 * found no end to the agent's leases, which have none, and counted 0 s at the fail-safe for every charger.)
 */
export function leaseEndMs(params: Record<string, unknown>): number | undefined {
  const profile = params.csChargingProfiles as LeaseProfile | undefined;
  if (profile?.chargingProfilePurpose !== 'TxProfile') return undefined;
  const startMs = Date.parse(profile.chargingSchedule?.startSchedule ?? profile.validFrom ?? '');
  // An Absolute schedule starts at its startSchedule (validFrom without one); a Relative one is not the agent's lease.
  const secondPeriod = Number.isFinite(startMs) ? profile.chargingSchedule?.chargingSchedulePeriod?.[1] : undefined;
  const duration = Number.isFinite(startMs) ? profile.chargingSchedule?.duration : undefined;
  return Math.min(
    profile.validTo === undefined ? Number.POSITIVE_INFINITY : Date.parse(profile.validTo),
    secondPeriod === undefined ? Number.POSITIVE_INFINITY : startMs + secondPeriod.startPeriod * 1000,
    duration === undefined ? Number.POSITIVE_INFINITY : startMs + duration * 1000,
  );
}

/**
 * The charger's time at its fail-safe, ms: from the end of the last lease received before `killedAtMs` (the kill, if
 * that lease ended earlier) to the first lease received after it, or `endMs` when none came. 0 when the new lease came
 * before the old one ended.
 */
export function atFailSafeMs(profiles: readonly ReceivedProfile[], killedAtMs: number, endMs: number): number {
  const leases = profiles.flatMap((p) => {
    const end = leaseEndMs(p.params);
    return end === undefined ? [] : [{ atMs: p.atMs, endMs: end }];
  });
  const old = leases.filter((l) => l.atMs <= killedAtMs).at(-1);
  const oldEndMs = Math.max(killedAtMs, old?.endMs ?? killedAtMs);
  const newStartMs = leases.find((l) => l.atMs > killedAtMs)?.atMs ?? endMs;
  return Math.max(0, newStartMs - oldEndMs);
}
