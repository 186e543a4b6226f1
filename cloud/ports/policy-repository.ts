/** Port: the desired policy of a site as numbered versions (the history), and what the site reports as applied. */
import type { Policy } from '../../shared/policy/policy-schema';
import type { ReportedPolicy } from '../../shared/sync/sync-messages';

export type PolicySource = 'api' | 'rollout' | 'edge';

export interface PolicyVersionRecord {
  readonly tenantId: string;
  readonly siteId: string;
  /** 1 for the first policy, +1 per replacement. */
  readonly version: number;
  readonly policy: Policy;
  readonly createdAt: number;
  /** The subject that wrote it (token `sub`), if known. */
  readonly author?: string;
  readonly source: PolicySource;
}

export interface AppliedPolicyRecord {
  readonly tenantId: string;
  readonly siteId: string;
  /** The desired version the edge reports about. */
  readonly version: number;
  readonly status: 'applied' | 'rejected';
  /** Where the policy the site runs came from (absent in reports of older agents). */
  readonly source?: ReportedPolicy['source'];
  /** Why the edge rejected it. */
  readonly message?: string;
  readonly reportedAt: number;
  /** The policy the site reports running (after a rejection: the one it kept), when its report carried it. */
  readonly policy?: Policy;
}

export interface PolicyHistoryPage {
  readonly items: readonly PolicyVersionRecord[];
  /** Pass back as `beforeVersion` for older versions. */
  readonly nextBeforeVersion?: number;
}

export interface PolicyRepository {
  /** The newest version, or undefined before the first write. */
  getDesired(tenantId: string, siteId: string): Promise<PolicyVersionRecord | undefined>;
  /**
   * Writes version `expectedVersion + 1` (0 expects no policy yet). Fails with `resource.conflict`
   * when another writer got there first, so a stale editor never overwrites a newer policy.
   */
  putDesired(
    input: {
      tenantId: string;
      siteId: string;
      policy: Policy;
      expectedVersion: number;
      author?: string;
      source: PolicySource;
    },
    now: number,
  ): Promise<PolicyVersionRecord>;
  /** Versions newest first. */
  history(
    tenantId: string,
    siteId: string,
    page: { limit: number; beforeVersion?: number },
  ): Promise<PolicyHistoryPage>;
  getApplied(tenantId: string, siteId: string): Promise<AppliedPolicyRecord | undefined>;
  putApplied(record: AppliedPolicyRecord): Promise<void>;
}
