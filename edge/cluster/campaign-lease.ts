/**
 * The lease under an etcd3 Campaign. etcd3 1.1.2 keeps it private and renews it on its own, emitting events that do
 * not say when each renewed keepalive left (see fence-deadline.ts for why that matters), so the leadership renews it
 * once more itself with `keepaliveOnce` and times the sends. The field is checked to be an etcd3 `Lease`: an etcd3
 * upgrade that renames it fails here at start-up, not silently.
 */
import { type Campaign, Lease } from 'etcd3';

/** The lease that `campaign`'s candidate key is bound to. */
export function campaignLease(campaign: Campaign): Lease {
  const lease: unknown = (campaign as unknown as { readonly lease?: unknown }).lease;
  if (!(lease instanceof Lease)) throw new Error('etcd3 Campaign holds no Lease: is etcd3 still 1.1.2?');
  return lease;
}
