/**
 * The one place that knows which policy is in force and where it came from: the site file (`config`), an edit on the
 * dashboard (`local`) or the cloud's shadow (`cloud`), with the cloud version it is (for a local edit: was based on)
 * and when it was applied. It is persisted as one record, so a restart resumes the same policy and origin; the
 * control loop, the dashboard and the shadow report all read it from here (docs/sync.md, "Policy in force").
 */
import type { FieldIssue } from '../../shared/errors';
import { policySiteIssues } from '../../shared/policy/policy-fits-site';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Site } from '../../shared/site/site-schema';
import type { Clock } from '../platform/clock';

export type PolicySource = 'config' | 'local' | 'cloud';

/** Where the policy in force came from. `version` is the cloud version it is, or (local edit, site file) last saw. */
export interface PolicyOrigin {
  readonly source: PolicySource;
  readonly version: number;
  readonly appliedAt: number;
}

export interface PolicyInForceRecord extends PolicyOrigin {
  readonly policy: Policy;
}

/** The stored record with the site file's policy it was derived from (`basis`, as read back: JSON, not parsed). */
export interface StoredPolicyInForce {
  readonly record: PolicyInForceRecord;
  readonly basis: unknown;
}

/** The persisted record (one row in the agent's database). */
export interface PolicyInForceStore {
  loadPolicyInForce(): StoredPolicyInForce | undefined;
  savePolicyInForce(record: PolicyInForceRecord, basis: Policy): void;
}

/** What puts a policy to work: the control loop's `setPolicy`. */
export interface PolicyTarget {
  setPolicy(policy: Policy): void;
}

export type PolicyChange = { readonly ok: true } | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** JSON with every object's keys sorted, so that equal values give equal text whatever order their keys were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The one comparison of policies: deep equality of their JSON values (key order and `undefined` keys do not count). */
export function samePolicy(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * The record a start resumes: the stored one while the site file still holds the policy it replaced; otherwise the
 * site file's (editing the file wins), keeping the cloud version last seen so that the conflict rule still holds.
 */
export function resumedPolicy(
  stored: StoredPolicyInForce | undefined,
  configured: Policy,
  now: number,
): PolicyInForceRecord {
  if (stored !== undefined && samePolicy(stored.basis, configured)) return stored.record;
  return { policy: configured, source: 'config', version: stored?.record.version ?? 0, appliedAt: now };
}

export interface PolicyInForceDeps {
  readonly store: PolicyInForceStore;
  readonly target: PolicyTarget;
  /** The site file's: what a policy may name. */
  readonly site: Site;
  readonly configured: Policy;
  readonly clock: Clock;
  readonly log: { warn(data: object, message: string): void };
  /** Told of each policy put in force here (a cluster master records it in the ledger for the next master). */
  readonly replicate?: (record: PolicyInForceRecord) => void;
}

export class PolicyInForce {
  private record: PolicyInForceRecord;

  /** Reads the stored record, decides what is in force and stores that (with the site file's policy as its basis). */
  static resume(store: PolicyInForceStore, configured: Policy, now: number): PolicyInForceRecord {
    const record = resumedPolicy(store.loadPolicyInForce(), configured, now);
    store.savePolicyInForce(record, configured);
    return record;
  }

  /** `resumed`: what `PolicyInForce.resume` returned, the policy the target started with. */
  constructor(
    private readonly deps: PolicyInForceDeps,
    resumed: PolicyInForceRecord,
  ) {
    this.record = resumed;
  }

  current(): PolicyInForceRecord {
    return this.record;
  }

  /** The policy in force (what the site reports running). */
  inForce(): Policy {
    return this.record.policy;
  }

  origin(): PolicyOrigin {
    const { source, version, appliedAt } = this.record;
    return { source, version, appliedAt };
  }

  /** Puts a policy that names only this site's connectors in force at once, or refuses it with the bad paths. */
  apply(policy: Policy, meta: { readonly version: number; readonly source: 'cloud' | 'local' }): PolicyChange {
    const issues = policySiteIssues(policy, this.deps.site);
    if (issues.length > 0) return { ok: false, issues };
    this.put({ policy, source: meta.source, version: meta.version, appliedAt: this.deps.clock.now() });
    this.deps.replicate?.(this.record);
    return { ok: true };
  }

  /**
   * A cluster takeover: the policy the last master had in force (the ledger's record), with its origin as it was, so
   * an edit made on that master holds here; refused like any policy that names connectors this site does not have.
   */
  adopt(record: PolicyInForceRecord): PolicyChange {
    const issues = policySiteIssues(record.policy, this.deps.site);
    if (issues.length > 0) return { ok: false, issues };
    this.put(record);
    return { ok: true };
  }

  private put(record: PolicyInForceRecord): void {
    this.record = record;
    this.deps.target.setPolicy(record.policy);
    try {
      this.deps.store.savePolicyInForce(this.record, this.deps.configured);
    } catch (error) {
      // A disk that takes no writes must not undo a policy already in force; the controller's own write waits for it.
      this.deps.log.warn({ err: (error as Error).message }, 'policy origin not stored: the data disk takes no writes');
    }
  }
}
