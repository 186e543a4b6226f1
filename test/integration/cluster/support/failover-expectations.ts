/** What every failover test checks once the chargers are done: the transactions, and who sent charging profiles. */
import { expect } from 'vitest';
import { FUSE_AMPS, type FailoverSite } from './failover-site';

/**
 * The chargers were answered `count` transaction starts, no id twice, and the agent of gateway `index` (stopped) stored
 * exactly those (or, with `either`, the two agents between them), each with the charger's meter start, meter stop and
 * energy: none lost, none repeated.
 */
export function expectEveryTransactionOnce(site: FailoverSite, index: 0 | 1 | 'either', count: number): void {
  const sent = site.sentTransactions();
  expect(sent).toHaveLength(count);
  expect(new Set(sent.map((t) => t.id)).size).toBe(sent.length);
  expect(index === 'either' ? site.storedByEither() : site.storedTransactions(index)).toEqual(sent);
}

/**
 * Every SetChargingProfile a charger received came from a node serving in the latest term any node had begun to serve
 * in: never two nodes in one term, never an old master after a new one.
 */
export function expectOneProfileSenderPerTerm(site: FailoverSite): void {
  const sent = site.profilesSent();
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((p) => p.term === undefined || p.term !== p.latestTerm)).toEqual([]);
  const senders = new Map<string, Set<string>>();
  for (const p of sent) senders.set(String(p.term), (senders.get(String(p.term)) ?? new Set()).add(p.node));
  expect([...senders.values()].filter((nodes) => nodes.size > 1)).toEqual([]);
}

/**
 * The simulated site never drew more than its fuse at its grid connection, whoever was master and while the masters
 * changed: the meter's truth (building load plus the cars' draw, per phase, site-draw.ts) at every sample; and the cars
 * did draw, so the check was not the building alone.
 */
export function expectSiteWithinFuse(site: FailoverSite): void {
  const { amps, buildingAmps, byCharger } = site.draw.peak;
  expect(site.draw.carsSampledAmps, 'the most the cars drew in a sample').toBeGreaterThan(0);
  expect(amps, `the peak: building ${buildingAmps} A, chargers ${JSON.stringify(byCharger)}`).toBeLessThanOrEqual(
    FUSE_AMPS,
  );
}
