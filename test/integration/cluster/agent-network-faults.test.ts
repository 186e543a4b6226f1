/**
 * Network faults on the failover lab (support/failover-site.ts: two agents in gateway namespaces with keepalived, a
 * three-member etcd with a witness on the segment, the simulator's chargers dialling the virtual address): the
 * master's link goes down; the gateways are cut off from each other while both still reach the chargers, with the
 * witness on one side only; the witness is lost, and then the master's link. In each: what the chargers sent is what
 * the agents stored (none lost, none repeated, no id twice), every charging profile came from the one node
 * serving in the latest term, and the site never drew more than its fuse.
 * Root only: skipped, with the reason, where network namespaces cannot be made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  expectEveryTransactionOnce,
  expectOneProfileSenderPerTerm,
  expectSiteWithinFuse,
} from './support/failover-expectations';
import { CHARGERS, type Cleanups, FailoverSite, TAKEOVER_MS, until, WITNESS_ADDRESS } from './support/failover-site';
import { nextReceipt } from './support/receipt-order';
import { vrrpLabUnavailable } from './support/vrrp-lab';

/** The whole test: two agents start, the fault (a takeover), a dozen transaction messages. */
const TEST_MS = 90_000;
/** Two faults, a wait without a master, and the recovery (two takeovers). */
const TWO_FAULTS_TEST_MS = 120_000;

const unavailable = vrrpLabUnavailable();
if (unavailable !== undefined) console.warn(`agent network fault tests skipped: ${unavailable}`);
describe.skipIf(unavailable !== undefined)('agent cluster under network faults, in network namespaces', () => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it(
    "should move the chargers to the other agent when the master's link goes down, and keep them there when it returns",
    async () => {
      // Arrange
      const site = await FailoverSite.start(cleanups);
      const [a, b] = [site.node(0), site.node(1)];

      // Act: gw1's cable is pulled; its agent cannot reach a quorum and fences itself; gw2's agent takes over
      site.lab.setLink(0, 'down');
      await site.chargersOn('gw2', 2, { cutOff: ['gw1'] });
      await a.logged('fenced: no longer master', TAKEOVER_MS);
      // The cable comes back: gw-a is healthy again, behind the master, which keeps the chargers and the address
      site.lab.setLink(0, 'up');
      await untilHealthy(site, ['gw-a', 'gw-b']);
      await site.finishTransactions();
      await site.chargersOn('gw2', 2);
      // gw-a may lead again only once gw-b stops, at the end
      const aServedBeforeTheEnd = a.messages.filter((m) => m === 'serving as master').length;
      b.signal('SIGTERM');
      await b.exited();

      // Assert
      expectEveryTransactionOnce(site, 1, CHARGERS * 2);
      expectOneProfileSenderPerTerm(site);
      expectSiteWithinFuse(site);
      expect(site.holdersSeen).toEqual(['gw1', 'gw2']);
      expect(aServedBeforeTheEnd).toBe(1);
      // gw-b stopped at the end (SIGTERM) and was never fenced before
      expect(b.records.filter((r) => r.msg === 'fenced: no longer master').map((r) => r.reason)).toEqual(['"stopped"']);
    },
    TEST_MS,
  );

  it(
    'should let the side with the witness lead when the gateways are cut off from each other, both reaching the chargers',
    async () => {
      // Arrange
      const site = await FailoverSite.start(cleanups);
      const [a, b] = [site.node(0), site.node(1)];

      // Act: gw1 and gw2 cannot talk, and the witness talks to gw2 only; both still reach the chargers
      site.lab.cutOff('gw1', site.lab.gatewayAddress(1));
      site.lab.cutOff('gw2', site.lab.gatewayAddress(0));
      site.lab.cutOff('gw1', WITNESS_ADDRESS);
      site.lab.cutOff('sw', site.lab.gatewayAddress(0));
      await a.logged('fenced: no longer master', TAKEOVER_MS);
      await site.chargersOn('gw2', 2);
      await site.finishTransactions();
      b.signal('SIGTERM');
      await b.exited();

      // Assert
      expectEveryTransactionOnce(site, 1, CHARGERS * 2);
      expectOneProfileSenderPerTerm(site);
      expectSiteWithinFuse(site);
      expect(site.holdersSeen).toEqual(['gw1', 'gw2']);
    },
    TEST_MS,
  );

  it(
    'should keep its master when the witness is lost, and have no master at all once the master loses its link too',
    async () => {
      // Arrange
      const site = await FailoverSite.start(cleanups);
      const [a, b] = [site.node(0), site.node(1)];

      // Act 1: the cars charge (FailoverSite.start waits for it; a lease goes out only once the ledger holds it), the
      // witness dies; two members of three remain, a quorum: the master goes on serving
      await site.etcd.kill(2);
      await site.finishTransactions();
      const fencedWithTwoMembers = a.messages.filter((m) => m === 'fenced: no longer master').length;

      // Act 2: the master's link goes down too: the member left on gw2 has no quorum, so no node may lead
      const connectionsAtFault = site.chargers.map((cp) => cp.wire.connections);
      site.lab.setLink(0, 'down');
      const fault = nextReceipt();
      await a.logged('fenced: no longer master', TAKEOVER_MS);
      await until(
        'every charger has dialled the virtual address twice in vain',
        () => site.chargers.every((cp) => cp.failedAttempts >= 2),
        TAKEOVER_MS,
      );
      const servedWithoutQuorum = site.processes.flatMap(({ node }) =>
        node.records.filter((r) => r.msg === 'serving as master' && r.order > fault),
      );
      // Only a connection opened after the fault can carry a profile sent without a quorum. The connections open at the
      // fault ran over gw1's link, and nothing crosses a link that is down (it comes back only in Act 3): what they
      // carried left gw-a before the link went down, while it led with two members of three. Their frames may still be
      // read after any mark taken here (one crossed while this process waited for `ip`, a CI run found), so a place
      // in the order of receipts cannot tell them apart.
      const profilesWithoutQuorum = site.chargers.flatMap((cp, i) =>
        cp.wire.received.filter(
          (call) => call.method === 'SetChargingProfile' && call.connection > (connectionsAtFault[i] ?? 0),
        ),
      );

      // Act 3: the link returns: two members again, one node leads, the chargers stop their transactions there
      site.lab.setLink(0, 'up');
      await until('a node serves again', () => site.lab.holders().length === 1, TAKEOVER_MS);
      const master = site.lab.holders()[0] === 'gw1' ? a : b;
      await until('every charger connected again', () => site.chargers.every((cp) => cp.boots >= 2), TAKEOVER_MS);
      for (const cp of site.chargers) await cp.charger.stop();
      master.signal('SIGTERM');
      await master.exited();
      (master === a ? b : a).signal('SIGTERM');

      // Assert
      expect(fencedWithTwoMembers).toBe(0);
      expect(servedWithoutQuorum).toEqual([]);
      expect(profilesWithoutQuorum).toEqual([]);
      await (master === a ? b : a).exited();
      expectEveryTransactionOnce(site, 'either', CHARGERS * 2);
      expectOneProfileSenderPerTerm(site);
      expectSiteWithinFuse(site);
    },
    TWO_FAULTS_TEST_MS,
  );
});

async function untilHealthy(site: FailoverSite, nodes: readonly string[]): Promise<void> {
  const giveUpAt = Date.now() + TAKEOVER_MS;
  while ((await site.healthyNodes().catch(() => [])).join() !== nodes.join()) {
    if (Date.now() > giveUpAt) throw new Error(`not within ${TAKEOVER_MS} ms: ${nodes.join()} healthy`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
