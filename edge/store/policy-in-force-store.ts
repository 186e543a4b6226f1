/** The policy in force as one row of `policy_in_force` (edge/control/policy-in-force.ts decides what goes in it). */
import { PolicySchema, type Policy } from '../../shared/policy/policy-schema';
import type {
  PolicyInForceRecord,
  PolicyInForceStore,
  PolicySource,
  StoredPolicyInForce,
} from '../control/policy-in-force';
import type { StoreDatabase } from './store-database';
import { parseStoredJson, type StoredValueProblem } from './stored-json';

interface PolicyRow {
  policy: string | null;
  basis: string | null;
  source: string;
  version: number;
  applied_at: number;
}

const SOURCES: readonly string[] = ['config', 'local', 'cloud'] satisfies PolicySource[];

export class SqlitePolicyInForceStore implements PolicyInForceStore {
  private readonly row;
  private readonly upsertRecord;
  private readonly upsertPolicy;
  private readonly upsertBasis;

  constructor(
    db: StoreDatabase,
    /** Where a stored value that cannot be used is told (the control state store's `problems`). */
    private readonly problems: { push(problem: StoredValueProblem): void },
  ) {
    this.row = db.prepare<[], PolicyRow>(
      'SELECT policy, basis, source, version, applied_at FROM policy_in_force WHERE id = 1',
    );
    this.upsertRecord = db.prepare<[string, string, string, number, number]>(
      `INSERT INTO policy_in_force (id, policy, basis, source, version, applied_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, basis = excluded.basis, source = excluded.source,
         version = excluded.version, applied_at = excluded.applied_at`,
    );
    this.upsertPolicy = db.prepare<[string]>(
      'INSERT INTO policy_in_force (id, policy) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET policy = excluded.policy',
    );
    this.upsertBasis = db.prepare<[string]>(
      'INSERT INTO policy_in_force (id, basis) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET basis = excluded.basis',
    );
  }

  loadPolicyInForce(): StoredPolicyInForce | undefined {
    const row = this.row.get();
    if (row?.policy == null) return undefined;
    const policy = parseStoredJson('policy', row.policy, (json) => PolicySchema.safeParse(json), this.problems);
    if (policy === undefined) return undefined;
    const basis =
      row.basis === null
        ? undefined
        : parseStoredJson('policyBasis', row.basis, (json) => ({ success: true as const, data: json }), this.problems);
    const source = SOURCES.includes(row.source) ? (row.source as PolicySource) : 'local';
    return { record: { policy, source, version: row.version, appliedAt: row.applied_at }, basis };
  }

  savePolicyInForce(record: PolicyInForceRecord, basis: Policy): void {
    this.upsertRecord.run(
      JSON.stringify(record.policy),
      JSON.stringify(basis),
      record.source,
      record.version,
      record.appliedAt,
    );
  }

  /** The control loop's own write of the policy it runs (ControlStateStore.savePolicy): the same row. */
  savePolicy(policy: Policy): void {
    this.upsertPolicy.run(JSON.stringify(policy));
  }

  setBasis(configured: Policy): void {
    this.upsertBasis.run(JSON.stringify(configured));
  }
}
