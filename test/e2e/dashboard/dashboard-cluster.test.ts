/**
 * The Cluster settings page in headless Chromium on two real edge agents as the nodes of one site's cluster (a real
 * three-member etcd on loopback, its members named gw-a, gw-b and witness, dynamic election): the master's page in
 * English, the standby's in German, each with its role, the leader, and every node's row (this agent, its peer, the
 * witness) with its role, the master's term and since when, and health; once the master's lease is lost at etcd, both pages show the swapped roles
 * without a reload, the old master with its fence (its reason in German on a German page). The election changed on one node's page (English) shows on the
 * other's (German); a bad order is refused next to its field.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { eventually } from '../../support/eventually';
import { ClusterAgent } from '../../integration/cluster/support/cluster-agent';
import { EtcdCluster } from '../../integration/cluster/support/etcd-cluster';
import { revokeLeaderLease } from '../../integration/cluster/support/leader-key';
import { sectionAfterSetup } from './support/setup-sign-in';
import { launchBrowser, screenshot } from '../support/headless-browser';
import { otherLanguageOn } from '../support/language-check';

const PASSWORD = 'correct horse battery staple';
/** The agents' lease is 2 s: a takeover waits for the lease to run out, with room for a loaded machine. */
const TAKEOVER_MS = 15_000;

describe('site dashboard, the Cluster settings page of cluster nodes, in headless Chromium', () => {
  let etcd: EtcdCluster;
  let browser: Browser;
  const agents: ClusterAgent[] = [];
  const siteId = `site-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3, ['gw-a', 'gw-b', 'witness']);
    for (const nodeId of ['gw-a', 'gw-b']) {
      agents.push(
        await ClusterAgent.start({
          nodeId,
          siteId,
          endpoints: etcd.endpoints,
          staticOrder: ['gw-a', 'gw-b'],
          election: 'dynamic',
          chargers: 1,
        }),
      );
      if (nodeId === 'gw-a') await eventually('gw-a serves as master', () => agents[0]?.serving === true, TAKEOVER_MS);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(agents.map((agent) => agent.stop()));
    await etcd?.stop();
  });

  /** Each agent's page: its setup link signs in once. */
  const pages = new Map<ClusterAgent, Page>();

  /** A page on `agent`'s dashboard in `locale`, signed in through its setup link, on the Cluster settings page. */
  async function clusterPage(agent: ClusterAgent, locale: Locale): Promise<Page> {
    const open = pages.get(agent);
    if (open !== undefined) return open;
    const page = await sectionAfterSetup(browser, agent.agent.dashboardSetupUrl ?? '', {
      locale,
      password: PASSWORD,
      section: 'cluster',
    });
    pages.set(agent, page);
    return page;
  }

  /**
   * Waits until the page's cluster facts say each of `texts` at once (the page reads the cluster again while open), and
   * returns that text: read again after the wait, a takeover still settling on a loaded machine showed the node elected
   * but not serving yet (CI found STANDBY beside the node's own leadership).
   */
  async function showing(page: Page, ...texts: string[]): Promise<string> {
    const facts = page.getByTestId('cluster-facts');
    const deadline = Date.now() + TAKEOVER_MS;
    for (;;) {
      const text = (await facts.textContent()) ?? '';
      if (texts.every((t) => text.includes(t))) return text;
      if (Date.now() > deadline)
        throw new Error(`not within ${TAKEOVER_MS} ms: the cluster facts saying ${texts.join(', ')}: ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until the nodes' table on `page` has a row whose text matches `name`. */
  async function nodeRow(page: Page, caption: string, name: RegExp): Promise<void> {
    await page.getByRole('table', { name: caption }).getByRole('row', { name }).waitFor({ timeout: TAKEOVER_MS });
  }

  it("should show the master and the standby, each with every node's row, and the swapped roles once the master's lease is lost", async () => {
    // Arrange
    const [a, b] = agents as [ClusterAgent, ClusterAgent];
    const onA = await clusterPage(a, 'en');
    const onB = await clusterPage(b, 'de');
    const en = CATALOGUES.en.dashboard.cluster;
    const de = CATALOGUES.de.dashboard.cluster;
    await showing(onA, 'gw-a', 'MASTER', 'Dynamic', 'gw-a, term ', 'etcd answers');
    // Every node: this agent, its peer and the witness, each with its role, the master's term and health
    await nodeRow(onA, en.peersCaption, /^gw-a \(this agent\) MASTER term \d+, since .+ healthy now/);
    await nodeRow(onA, en.peersCaption, /^gw-b STANDBY – healthy .+ \d/);
    await nodeRow(onA, en.peersCaption, /^witness WITNESS – healthy .+ http:\/\/127\.0\.0\.1:\d+$/);
    await showing(onB, 'gw-b', 'STANDBY', de.dynamic, 'gw-a, Amtszeit ', de.etcdReachable);
    await nodeRow(onB, de.peersCaption, /^gw-b \(dieser Agent\) STANDBY – erreichbar jetzt/);
    await nodeRow(onB, de.peersCaption, /^gw-a MASTER Amtszeit \d+, seit .+ erreichbar .+ \d/);
    await nodeRow(onB, de.peersCaption, /^witness ZEUGE – erreichbar .+ http:\/\/127\.0\.0\.1:\d+$/);
    expect(await otherLanguageOn(onA, 'en')).toEqual([]);
    expect(await otherLanguageOn(onB, 'de')).toEqual([]);
    await screenshot(onA, 'dashboard', '09-cluster-master');

    // Act: gw-a's lease goes at etcd (its candidate key's last part is the lease id), as when etcd expires it
    await revokeLeaderLease(etcd.endpoints, siteId);

    // Assert: both pages change without a reload, the nodes' rows with them
    const factsB = await showing(onB, 'MASTER', 'gw-b, Amtszeit ');
    const factsA = await showing(onA, 'STANDBY', 'gw-b, term ', 'Last fence');
    await nodeRow(onA, en.peersCaption, /^gw-a \(this agent\) (FENCED|STANDBY) – /);
    await nodeRow(onA, en.peersCaption, /^gw-b MASTER term \d+, since .+ healthy/);
    await nodeRow(onB, de.peersCaption, /^gw-b \(dieser Agent\) MASTER Amtszeit \d+, seit /);
    expect(factsB).not.toContain('STANDBY');
    expect(factsA).not.toContain(CATALOGUES.en.dashboard.cluster.noFence);
    expect(await otherLanguageOn(onA, 'en')).toEqual([]);
    expect(await otherLanguageOn(onB, 'de')).toEqual([]);
    await screenshot(onA, 'dashboard', '09-cluster-fenced');

    // Act: the old master's page in German
    await onA.evaluate(() => localStorage.setItem('ampshare.locale', 'de'));
    await onA.reload();
    const fenceDe = await showing(onA, 'STANDBY', CATALOGUES.de.dashboard.cluster.lastFence);

    // Assert: its fence's reason in German, nothing English on the page; before, the agent's English words, marked
    // English
    expect(
      Object.values(CATALOGUES.de.errors.server.clusterFence).filter((text) => fenceDe.includes(text)),
    ).toHaveLength(1);
    expect(await otherLanguageOn(onA, 'de')).toEqual([]);
    expect(await onA.locator('main [lang="en"]').allTextContents()).toEqual([]);
    await onA.evaluate(() => localStorage.setItem('ampshare.locale', 'en'));
    await onA.reload();
  }, 60_000);

  it("should change the election on one node's page (English) and show it on the other's (German), refusing a bad order", async () => {
    // Arrange
    const [a, b] = agents as [ClusterAgent, ClusterAgent];
    const en = CATALOGUES.en.dashboard.cluster;
    const de = CATALOGUES.de.dashboard.cluster;
    const onA = await clusterPage(a, 'en');
    const onB = await clusterPage(b, 'de');
    await showing(onB, de.dynamic);

    // Act: static, gw-b first, on gw-a's page
    await onA.getByLabel(en.election).selectOption({ label: en.static });
    await onA.getByLabel(en.order).fill('gw-b, gw-a');
    await onA.getByRole('button', { name: en.changeElection }).click();

    // Assert: saved, and both pages show it (gw-b's without a reload)
    await onA.getByTestId('election-status').filter({ hasText: en.electionSaved }).waitFor();
    await showing(onA, en.static, 'gw-b → gw-a');
    await showing(onB, de.static, 'gw-b → gw-a');
    expect(await onB.getByLabel(de.election).inputValue()).toBe('static');

    // Act: back to dynamic on gw-b's page, first with an order that names an unknown node
    await onB.getByLabel(de.election).selectOption({ label: de.dynamic });
    await onB.getByLabel(de.order).fill('gw-b, gw-x');
    await onB.getByRole('button', { name: de.changeElection }).click();

    // Assert: the field says why, in German; then the right order is saved
    await onB.locator('[data-error-for="staticOrder"]').filter({ hasText: 'genau einmal' }).waitFor();
    await onB.getByLabel(de.order).fill('gw-a, gw-b');
    await onB.getByRole('button', { name: de.changeElection }).click();
    await onB.getByTestId('election-status').filter({ hasText: de.electionSaved }).waitFor();
    await showing(onA, en.dynamic);
    expect(await otherLanguageOn(onA, 'en')).toEqual([]);
    expect(await otherLanguageOn(onB, 'de')).toEqual([]);
    await screenshot(onB, 'dashboard', '09-cluster-election-de');
  });
});
