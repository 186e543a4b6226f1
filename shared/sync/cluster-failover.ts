/**
 * The details a `cluster.failover` event carries (edge/cluster/takeover-report.ts): the node, the leadership term
 * (etcd's create revision of its candidate key, a decimal int64 string: later leaders have higher terms), whether it
 * now serves as master or was fenced out of that term, and for a fence the agent's reason (English).
 */
import { z } from 'zod';

export const ClusterFailoverDetailsSchema = z.object({
  nodeId: z.string().min(1).max(64),
  term: z.string().regex(/^\d{1,20}$/),
  role: z.enum(['master', 'fenced']),
  reason: z.string().max(500).optional(),
});

export type ClusterFailoverDetails = z.output<typeof ClusterFailoverDetailsSchema>;

/** Orders two terms (decimal strings of any length up to int64's): negative, 0 or positive as `a` is lower. */
export function compareTerms(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
