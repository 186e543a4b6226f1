/**
 * The policy in force in the cluster's ledger (`policy-in-force`): the master records each policy it puts in force,
 * with its source and cloud version, and a new master puts the ledger's in force before it serves, so a policy edited
 * on the old master holds on the new one. One record, a policy's size (at most the ledger's 64 KiB per value).
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { PolicySchema } from '../../shared/policy/policy-schema';
import { type PolicyChange, type PolicyInForceRecord, samePolicy } from '../control/policy-in-force';
import type { LeaderLedger } from './leader-ledger';

const KEY = 'policy-in-force';

const RecordSchema = z
  .object({
    policy: PolicySchema,
    source: z.enum(['config', 'local', 'cloud']),
    version: z.number().int().min(0),
    appliedAt: z.number().int(),
  })
  .strict();

export class LedgerPolicy {
  constructor(private readonly ledger: LeaderLedger) {}

  /** Records `record` in this node's term; throws (and fences) when the node does not lead. */
  write(record: PolicyInForceRecord): Promise<void> {
    return this.ledger.put(KEY, JSON.stringify(record));
  }

  /** The ledger's record, if a master wrote one; throws on one it cannot read (a new master must not guess). */
  async read(): Promise<PolicyInForceRecord | undefined> {
    const entry = await this.ledger.get(KEY);
    if (entry === undefined) return undefined;
    try {
      return RecordSchema.parse(JSON.parse(entry.value));
    } catch (error) {
      throw new AppError('state.invalid', `the ledger's ${KEY} is not a policy record`, [], { cause: error });
    }
  }
}

/** The policy in force on this node, as a new master reads and replaces it. */
export interface PolicyHolder {
  current(): PolicyInForceRecord;
  adopt(record: PolicyInForceRecord): PolicyChange;
}

/**
 * Elected: the ledger's policy is put in force here unless it is the one in force already; with none in the ledger
 * (the first master) this node's own is recorded. What happened, for the log.
 */
export async function takePolicyFromLedger(ledger: LedgerPolicy, holder: PolicyHolder): Promise<string> {
  const recorded = await ledger.read();
  const local = holder.current();
  if (recorded === undefined) {
    await ledger.write(local);
    return 'recorded';
  }
  if (
    samePolicy(recorded.policy, local.policy) &&
    recorded.source === local.source &&
    recorded.version === local.version
  )
    return 'same';
  const change = holder.adopt(recorded);
  // A policy naming connectors this node's site lacks (the two nodes' sites differ) stays out; the next edit replaces it.
  return change.ok ? 'adopted' : `refused: ${change.issues.map((issue) => issue.path).join(', ')}`;
}
