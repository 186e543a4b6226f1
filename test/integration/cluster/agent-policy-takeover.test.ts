/**
 * The policy in force across a takeover, with two real agents on a real three-member etcd: a policy edited on the old
 * master (a dashboard edit: source `local`) is in force on the new one, with its origin, once it serves.
 */
import { Etcd3 } from 'etcd3';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { TAKEOVER_MS, takeoverSite } from './support/takeover-site';
import { revokeLeaderLease } from './support/leader-key';

describe('the policy in force in the cluster ledger', () => {
  const site = takeoverSite();

  it('should put the policy edited on the old master in force on the new one, with its origin', async () => {
    // Arrange: gw-a serves; its policy is edited (a 40 A budget instead of the site file's 48 A)
    const { siteId, a, b } = await site.masterAndStandby();
    const edited = { ...a.agent.controller.policy, budget: { unit: 'A' as const, min: 6, max: 40 } };
    expect(a.agent.policyInForce.apply(edited, { version: 3, source: 'local' })).toEqual({ ok: true });
    const client = new Etcd3({ hosts: [...site.etcd().endpoints] });
    try {
      await recorded(client, siteId, (value) => value.includes('"max":40'));
    } finally {
      client.close();
    }

    // Act: gw-a loses its lease at etcd, gw-b takes over
    await revokeLeaderLease(site.etcd().endpoints, siteId);
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);

    // Assert
    expect(b.agent.controller.policy.budget).toEqual({ unit: 'A', min: 6, max: 40 });
    expect(b.agent.policyInForce.origin()).toMatchObject({ source: 'local', version: 3 });
    expect(b.agent.policyInForce.current().appliedAt).toBe(a.agent.policyInForce.current().appliedAt);
  });
});

/** Waits, with a bound, for the ledger's policy record to satisfy `check` (the master records it after applying it). */
async function recorded(client: Etcd3, siteId: string, check: (value: string) => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await client.get(`ampshare/${siteId}/ledger/policy-in-force`).string();
    if (value !== null && check(value)) return;
    if (Date.now() > deadline) throw new Error(`the ledger's policy record is ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
