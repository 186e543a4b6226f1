/**
 * The conflict rule between the cloud's desired policy and edits on the site's dashboard (docs/sync.md, "Policy"):
 * the policy in force carries the cloud version it is (or, for a local edit, was based on). A local edit applies at
 * once and keeps that version; a cloud desired policy is applied only if its version is greater than the version in
 * force. So a cloud change made after the edit's base wins, and an edit made after the last cloud version stays until
 * the cloud writes a newer one. The version and source in force are the policy-in-force record's (PolicySink.origin());
 * this file holds only what the shadow is told and what it refused, persisted in the sync database.
 */
import { z } from 'zod';
import { ReportedPolicySchema, type ReportedPolicy } from '../../shared/sync/sync-messages';
import type { SyncMeta } from './outbox-database';
import type { PolicyInForceOrigin } from './sync-ports';

export const PolicySyncStateSchema = z
  .object({
    /** What the shadow's reported state should say, once a change happened. */
    report: ReportedPolicySchema.optional(),
    /** The broker accepted `report` (`/update/accepted` with our client token). */
    reported: z.boolean(),
    /** The last desired state refused, as JSON, so that the same document is not refused and reported again. */
    lastRejected: z.string().optional(),
  })
  .strict();

export type PolicySyncState = z.output<typeof PolicySyncStateSchema>;

/**
 * What `EdgeSync.status().policy` shows: the sync's own state, the origin of the policy in force, and how many desired
 * deltas the shadow sent this process (each is handled before the next is read: a definite sign one was taken).
 */
export type PolicySyncStatus = PolicySyncState & {
  readonly inForce: PolicyInForceOrigin;
  readonly deltasHandled: number;
};

export type DesiredDecision = 'apply' | 'keep';

/** The conflict rule: a cloud version is applied only when it is newer than the version in force. */
export function decideDesired(inForce: Pick<PolicyInForceOrigin, 'version'>, desiredVersion: number): DesiredDecision {
  return desiredVersion > inForce.version ? 'apply' : 'keep';
}

const KEY = 'policySync';
const INITIAL: PolicySyncState = { reported: true };
/** Before the policy-in-force record, the sync kept its own copy of the version and source in force. */
const LegacyInForceSchema = z.object({
  version: z.number().int().nonnegative(),
  source: z.enum(['cloud', 'local', 'config']),
});
const StoredStateSchema = PolicySyncStateSchema.extend({ inForce: LegacyInForceSchema.optional() }).transform(
  ({ inForce, ...state }) => ({ state, legacy: inForce }),
);

/** Loads and saves the state; a stored value that does not parse starts over (nothing reported yet). */
export class PolicySyncStore {
  constructor(private readonly meta: SyncMeta) {}

  /** `legacy`: the version and source a state stored before the policy-in-force record held (imported once). */
  load(): { state: PolicySyncState; legacy?: PolicyInForceOrigin; problem?: string } {
    const text = this.meta.get(KEY);
    if (text === undefined) return { state: INITIAL };
    try {
      const parsed = StoredStateSchema.safeParse(JSON.parse(text));
      if (parsed.success)
        return { state: parsed.data.state, ...(parsed.data.legacy && { legacy: parsed.data.legacy }) };
      return { state: INITIAL, problem: parsed.error.message };
    } catch (error) {
      return { state: INITIAL, problem: (error as Error).message };
    }
  }

  save(state: PolicySyncState): void {
    this.meta.set(KEY, JSON.stringify(state));
  }
}

/** The report for a state change. */
export function reportOf(
  version: number,
  status: ReportedPolicy['status'],
  source: ReportedPolicy['source'],
  appliedAt: number,
  errors?: ReportedPolicy['errors'],
): ReportedPolicy {
  return {
    version,
    status,
    source,
    appliedAt,
    ...(errors !== undefined &&
      errors.length > 0 && {
        errors: errors.slice(0, 100).map((e) => ({ path: e.path.slice(0, 200), message: e.message.slice(0, 300) })),
      }),
  };
}
