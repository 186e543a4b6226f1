/** A PolicySink that records what it was asked to put in force; it refuses policies whose budget exceeds `maxBudget`, as a site would. */
import { PolicySchema, type Policy } from '../../../../../shared/policy/policy-schema';
import type {
  PolicyApplyMeta,
  PolicyApplyResult,
  PolicyInForceOrigin,
  PolicySink,
} from '../../../../../edge/sync/sync-ports';

export class RecordingPolicySink implements PolicySink {
  readonly applied: { policy: Policy; meta: PolicyApplyMeta }[] = [];
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly maxBudget = 1000,
    private readonly configured: Policy = PolicySchema.parse({
      $schemaVersion: 1,
      budget: { unit: 'A', min: 0, max: 32 },
    }),
  ) {}

  get current(): { policy: Policy; meta: PolicyApplyMeta } | undefined {
    return this.applied.at(-1);
  }

  /** What the site starts with before the cloud sends anything. */
  inForce(): Policy {
    return this.current?.policy ?? this.configured;
  }

  /** Where it came from: the last apply's, or the site file's before any. */
  origin(): PolicyInForceOrigin {
    return this.current?.meta ?? { version: 0, source: 'config' };
  }

  apply(policy: Policy, meta: PolicyApplyMeta): PolicyApplyResult {
    if (policy.budget.max > this.maxBudget)
      return { ok: false, issues: [{ path: 'budget.max', message: `above the site's ${this.maxBudget}` }] };
    this.applied.push({ policy, meta });
    for (const listener of this.listeners) listener();
    return { ok: true };
  }

  onApply(listener: () => void): void {
    this.listeners.push(listener);
  }
}
