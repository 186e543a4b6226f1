/**
 * Issue 15: a clustered site's state on the console's site page (docs/cluster.md, "In the fleet console"). The
 * takeover events go the whole way: `TakeoverReport` (edge/cluster/takeover-report.ts) into a real agent's durable
 * outbox, published over MQTT to the local cloud's broker (aedes), ingested into the fleet table (dynalite), read
 * through the API by the console in headless Chromium. One agent's outbox carries both nodes' events here (each
 * gateway has its own outbox on a real site; the cloud reads them alike).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../cloud/local/start-local-cloud';
import { majorityEventBody, TakeoverReport } from '../../../edge/cluster/takeover-report';
import { fenceText } from '../../../shared/cluster-fence-messages';
import type { ClusterFigures } from '../../../shared/sync/cluster-figures';
import type { SyncedEdge } from '../../integration/edge/support/synced-edge';
import { untilCloud } from '../../integration/edge/support/synced-edge';
import { screenshot, WAIT_MS } from '../support/headless-browser';
import { evaluateConnected } from '../support/connected-element';
import { foundIn, giveaways, otherLanguageOn } from '../support/language-check';
import { startLiveConsole, type LiveConsole } from './support/live-console';

describe("fleet console: a clustered site's nodes, master and last takeover", () => {
  let cloud: LocalCloud;
  let edge: SyncedEdge;
  let page: Page;
  let live: LiveConsole | undefined;

  beforeAll(async () => {
    live = await startLiveConsole({ chargers: 1 });
    ({ cloud, edge, page } = live);
  }, 60_000);
  afterAll(() => live?.close());

  const section = () => page.getByTestId('site-cluster');

  it('should show no cluster for a site whose nodes never reported a takeover', async () => {
    await page.goto(`${cloud.consoleUrl}#/sites/${cloud.demo.siteId}`);
    await page.getByTestId('sessions-table').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await section().isVisible()).toBe(false);
  });

  it(
    "should show each node's role, the master and term, and the last takeover with the fence's reason",
    async () => {
      // Arrange: gw-a leads in term 100, is fenced out of it, and gw-b takes over in term 105
      const outbox = edge.agent.sync!.outbox;
      let clock = Date.now() - 60_000;
      const nodeA = new TakeoverReport('gw-a', () => clock);
      const nodeB = new TakeoverReport('gw-b', () => clock);
      nodeA.sendTo(outbox);
      nodeB.sendTo(outbox);

      // Act
      nodeA.elected({ term: '100', key: 'election/gw-a' });
      clock += 20_000;
      nodeA.fenced({ term: '100', reason: fenceText('leaseLost') });
      clock += 5_000;
      const takeoverAt = clock;
      nodeB.elected({ term: '105', key: 'election/gw-b' });
      const { tenantId, siteId } = cloud.demo;
      await untilCloud(
        cloud,
        'both nodes in the fleet table',
        async () => (await cloud.repositories.clusterNodes.list(tenantId, siteId, 16)).length === 2,
        30_000,
      );
      await page.reload();

      // Assert
      await section().waitFor();
      const facts = page.getByTestId('cluster-facts');
      expect(await facts.locator('dd').nth(0).textContent()).toMatch(/^gw-b, since /);
      expect(await facts.locator('dd').nth(1).textContent()).toBe('105');
      const takeover = await facts.locator('dd').nth(2).textContent();
      expect(takeover).toMatch(/^gw-b took over in term 105 at .+, from gw-a, fenced: etcd reports the lease lost$/);
      const rows = page.getByTestId('cluster-nodes').locator('tbody tr');
      expect(await rows.allTextContents()).toHaveLength(2);
      expect(await rows.nth(0).locator('td').allTextContents()).toEqual([
        'gw-a',
        'Fenced',
        'unknown',
        '100',
        expect.any(String),
        expect.any(String),
        'etcd reports the lease lost',
      ]);
      expect(await rows.nth(1).locator('td').allTextContents()).toEqual([
        'gw-b',
        'Master',
        'unknown',
        '105',
        expect.any(String),
        expect.any(String),
        '–',
      ]);
      const response = await fetch(`${cloud.apiUrl}/sites/${siteId}/cluster`, {
        headers: { authorization: `Bearer ${cloud.demo.token}` },
      });
      const answer = (await response.json()) as { lastTakeover: { at: number } };
      expect(answer.lastTakeover.at).toBe(takeoverAt);
      await screenshot(page, 'console', '14-site-cluster');
    },
    WAIT_MS * 4,
  );

  it(
    'should keep the newer state when an older event arrives late, and say it all in German',
    async () => {
      // Arrange: gw-b's outbox replays an event older than what the cloud has of it
      const late = new TakeoverReport('gw-b', () => Date.now() - 3600_000);
      late.sendTo(edge.agent.sync!.outbox);
      late.fenced({ term: '90', reason: fenceText('keepaliveLate') });
      const marker = new TakeoverReport('gw-c', () => Date.now() - 1000);
      marker.sendTo(edge.agent.sync!.outbox);
      marker.fenced({
        term: '95',
        reason: fenceText('campaignFailed', 'Error: 14 UNAVAILABLE: No connection established'),
      });
      const { tenantId, siteId } = cloud.demo;
      await untilCloud(
        cloud,
        'the late event and the marker after it',
        async () => {
          const events = await cloud.repositories.events.list(tenantId, siteId, {
            from: 0,
            to: Date.now(),
            limit: 100,
          });
          const late = events.items.some((e) => e.type === 'cluster.failover' && e.data?.['term'] === '90');
          return late && (await cloud.repositories.clusterNodes.list(tenantId, siteId, 16)).length === 3;
        },
        30_000,
      );

      // Act
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'de'));
      await page.reload();

      // Assert
      await page.getByRole('heading', { name: 'Cluster' }).waitFor();
      const facts = page.getByTestId('cluster-facts');
      await facts.waitFor();
      expect(await facts.locator('dd').nth(0).textContent()).toMatch(/^gw-b, seit /);
      expect(await facts.locator('dd').nth(2).textContent()).toMatch(
        /^gw-b übernahm in Amtszeit 105 am .+, von gw-a, abgeschaltet: etcd meldet den Lease als verloren$/,
      );
      const gwB = page.getByTestId('cluster-nodes').locator('tbody tr', { hasText: 'gw-b' });
      expect(await gwB.locator('td').nth(1).textContent()).toBe('Master');
      // The whole page, the events list beside the section too: before, the events list quoted the agents' fence
      // reasons unmarked and the section marked them English; now both say them in German, nothing marked English
      await page.getByTestId('events-table').locator('tbody tr', { hasText: 'Amtszeit 95' }).waitFor();
      const events = await page.getByTestId('events-table').locator('tbody tr').allTextContents();
      expect(events.filter((row) => row.includes('Amtszeit 95'))).toEqual([
        expect.stringContaining('gw-c hat sich in Amtszeit 95 selbst abgeschaltet: Kandidatur bei etcd fehlgeschlagen'),
      ]);
      expect(await otherLanguageOn(page, 'de')).toEqual([]);
      expect(await page.locator('main [lang="en"]').allTextContents()).toEqual([]);
      await screenshot(page, 'console', '14-site-cluster-de');
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'en'));
    },
    WAIT_MS * 4,
  );

  it(
    "should show each node's health, term, since and last heard from the telemetry, a node without a link through its peers, on a phone and in German",
    async () => {
      // Arrange: gw-b (the master) and gw-d (a standby that never led nor was fenced) send samples with their cluster
      // figures; gw-e has no cloud link and left etcd ten minutes ago, as gw-b saw it
      const outbox = edge.agent.sync!.outbox;
      const now = Date.now();
      const sample = (cluster: ClusterFigures, at: number) =>
        outbox.enqueue(
          'telemetry',
          {
            evAmps: [0, 0, 0],
            limitAmps: [50, 50, 50],
            fuseAmps: [63, 63, 63],
            budget: { unit: 'A', value: 50 },
            meter: 'ok',
            charging: 0,
            paused: 0,
            cluster,
          },
          at,
        );
      const leader = { nodeId: 'gw-b', term: '105', since: now - 35_000 };
      const members = [
        { endpoint: 'http://10.0.0.1:2379', healthy: false },
        { endpoint: 'http://10.0.0.2:2379', healthy: true },
        { endpoint: 'http://10.0.0.3:2379', healthy: true },
      ];
      expect(
        sample(
          {
            nodeId: 'gw-b',
            mode: 'etcd',
            role: 'master',
            leader,
            etcdReachable: true,
            etcdMembers: members,
            peers: [
              { nodeId: 'gw-a', present: false, reachable: false, lastSeenAt: now - 40_000 },
              { nodeId: 'gw-d', present: true, reachable: true, lastSeenAt: now - 2_000 },
              { nodeId: 'gw-e', present: false, reachable: null, lastSeenAt: now - 600_000 },
            ],
          },
          now - 2_000,
        ).ok,
      ).toBe(true);
      sample(
        { nodeId: 'gw-d', mode: 'etcd', role: 'standby', leader, etcdReachable: true, etcdMembers: [], peers: [] },
        now - 1_000,
      );
      const { tenantId, siteId } = cloud.demo;
      await untilCloud(
        cloud,
        "both nodes' figures in the fleet table",
        async () => (await cloud.repositories.clusterHealth.list(tenantId, siteId, 16)).length === 2,
        30_000,
      );

      // Act
      await page.reload();
      const rows = page.getByTestId('cluster-nodes').locator('tbody tr');
      await rows.filter({ hasText: 'gw-e' }).waitFor();
      const cells = async (node: string) => rows.filter({ hasText: node }).locator('td').allTextContents();

      // Assert: before, only the nodes that sent a takeover event were listed, with neither health nor last heard
      const facts = page.getByTestId('cluster-facts');
      expect(await facts.locator('dd').nth(3).textContent()).toMatch(/^2 of 3 members healthy, as gw-b saw them at /);
      expect(await cells('gw-d')).toEqual([
        'gw-d',
        'Standby',
        'healthy',
        '–',
        '–',
        expect.not.stringMatching(/stale/),
        '–',
      ]);
      expect(await cells('gw-e')).toEqual([
        'gw-e',
        'Standby',
        'unhealthy',
        '–',
        '–',
        expect.stringMatching(/ stale$/),
        '–',
      ]);
      const gwB = await cells('gw-b');
      expect(gwB.slice(0, 4)).toEqual(['gw-b', 'Master', 'healthy', '105']);
      expect(gwB[4]).not.toBe('–');
      expect((await cells('gw-a')).slice(0, 4)).toEqual(['gw-a', 'Fenced', 'unhealthy', '100']);

      // Act: on a phone, in German
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'de'));
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await rows.filter({ hasText: 'gw-e' }).waitFor();

      // Assert: each row a card of label and value lines, nothing wider than the screen, German only
      expect(await cells('gw-e')).toEqual([
        'gw-e',
        'Standby',
        'gestört',
        '–',
        '–',
        expect.stringMatching(/ veraltet$/),
        '–',
      ]);
      const labels = await rows
        .filter({ hasText: 'gw-e' })
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
      expect(labels).toEqual(
        ['Knoten', 'Rolle', 'Zustand', 'Amtszeit', 'Seit', 'Zuletzt gehört', 'Grund'].map((label) => `"${label}"`),
      );
      const overflow = await evaluateConnected(section(), (element) =>
        [element, ...element.querySelectorAll('*')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      expect(overflow).toEqual([]);
      const inSection = await section().evaluate((element) => {
        const clone = element.cloneNode(true) as HTMLElement;
        for (const node of clone.querySelectorAll('[lang]')) if (node.getAttribute('lang') !== 'de') node.remove();
        return clone.innerText || (clone.textContent ?? '');
      });
      expect(foundIn(inSection, giveaways('de', 'en'))).toEqual([]);
      await screenshot(page, 'console', '14-site-cluster-health-phone-de');
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'en'));
      await page.setViewportSize({ width: 1280, height: 900 });
    },
    WAIT_MS * 4,
  );

  it(
    "should list a two-gateway node's majority gained and lost in the events, in English and German",
    async () => {
      // Arrange: gw-y of a two-gateway site gains the majority (3 of 4 chargers), then loses it (1 of 4), through the
      // agent's durable outbox as its two-gateway node queues them (two-gateway-node.ts)
      const outbox = edge.agent.sync!.outbox;
      outbox.enqueue(
        'events',
        majorityEventBody('gw-y', true, { countedChargers: 3, siteChargers: 4 }),
        Date.now() - 2_000,
      );
      outbox.enqueue(
        'events',
        majorityEventBody('gw-y', false, { countedChargers: 1, siteChargers: 4 }),
        Date.now() - 1_000,
      );
      const { tenantId, siteId } = cloud.demo;
      await untilCloud(
        cloud,
        'both majority events ingested',
        async () => {
          const events = await cloud.repositories.events.list(tenantId, siteId, {
            from: 0,
            to: Date.now(),
            limit: 100,
          });
          return events.items.filter((e) => e.type === 'cluster.majority').length === 2;
        },
        30_000,
      );

      // Act
      await page.reload();

      // Assert: said in English, then in German
      const rows = page.getByTestId('events-table').locator('tbody tr', { hasText: 'gw-y' });
      await rows.nth(1).waitFor();
      expect(await rows.allTextContents()).toEqual([
        expect.stringContaining('gw-y no longer holds the majority of the site’s chargers (1 of 4): fail-safe only'),
        expect.stringContaining(
          'gw-y holds the majority of the site’s chargers (3 of 4) and may give more than the fail-safe',
        ),
      ]);
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'de'));
      await page.reload();
      await rows.nth(1).waitFor();
      expect(await rows.allTextContents()).toEqual([
        expect.stringContaining(
          'gw-y hält die Mehrheit der Ladepunkte des Standorts nicht mehr (1 von 4): nur Fail-safe-Strom',
        ),
        expect.stringContaining(
          'gw-y hält die Mehrheit der Ladepunkte des Standorts (3 von 4) und darf über den Fail-safe-Strom gehen',
        ),
      ]);
      expect(await otherLanguageOn(page, 'de')).toEqual([]);
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'en'));
    },
    WAIT_MS * 4,
  );
  it(
    'should name the gateway that holds the majority of a two-gateway site, or none, in English and German',
    async () => {
      // Arrange: gw-z gains the majority (3 of 4 chargers) after gw-y lost it (the test before): the site's latest
      // cluster word is a majority event, so the section shows the two-gateway mode
      const outbox = edge.agent.sync!.outbox;
      const gainedAt = Date.now() - 500;
      outbox.enqueue('events', majorityEventBody('gw-z', true, { countedChargers: 3, siteChargers: 4 }), gainedAt);
      const { tenantId, siteId } = cloud.demo;
      const holder = async () => {
        const nodes = await cloud.repositories.clusterMajority.list(tenantId, siteId, 16);
        return nodes.find((n) => n.nodeId === 'gw-z')?.mayExceedFailSafe;
      };
      await untilCloud(cloud, "gw-z's gain ingested", async () => (await holder()) === true, 30_000);

      // Act
      await page.reload();

      // Assert: before, the section named etcd's master and term of the nodes' older takeovers
      const facts = page.getByTestId('cluster-facts');
      await facts.waitFor();
      expect(await facts.locator('dt').allTextContents()).toEqual(['Majority']);
      expect(await facts.locator('dd').allTextContents()).toEqual([
        expect.stringMatching(
          /^gw-z may give more than the fail-safe: it counts 3 of the site’s 4 chargers, since .+\d/,
        ),
      ]);

      // Act: gw-z loses it (1 of 4), in German
      outbox.enqueue('events', majorityEventBody('gw-z', false, { countedChargers: 1, siteChargers: 4 }), gainedAt + 1);
      await untilCloud(cloud, "gw-z's loss ingested", async () => (await holder()) === false, 30_000);
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'de'));
      await page.reload();

      // Assert
      await page.getByRole('heading', { name: 'Cluster' }).waitFor();
      await facts.waitFor();
      expect(await facts.locator('dt').allTextContents()).toEqual(['Mehrheit']);
      expect(await facts.locator('dd').allTextContents()).toEqual([
        'kein Gateway hält die Mehrheit (jeder Ladepunkt auf seinem Fail-safe-Strom)',
      ]);
      expect(await otherLanguageOn(page, 'de')).toEqual([]);
      await screenshot(page, 'console', '14-site-cluster-majority-de');
      await page.evaluate(() => localStorage.setItem('ampshare.locale', 'en'));
    },
    WAIT_MS * 4,
  );
});
