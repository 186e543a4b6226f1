/**
 * The Network management page in headless Chromium on two real edge agents, the nodes of one site's cluster on a real
 * three-member etcd on loopback (each agent's OCPP server on every address of the host, so the other reaches it on the
 * host's own addresses): gw-a's page in English, gw-b's in German, each with this gateway's addresses, the virtual
 * address (configured, not on this host), keepalived's state as the packaged notify script wrote it, the peer present
 * and reachable at its announced OCPP port, and etcd's three members answering with one etcd leader; the answer
 * behind it read from the same page. Then a peer whose presence key is alive but whose OCPP port does not answer, gw-b
 * still reached where it last said it was while etcd has no quorum (two members frozen), and gw-b stopped: absent,
 * and dialled at its last addresses without an answer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { NetworkAnswerSchema, type NetworkAnswer } from '../../../shared/dashboard/network-answer';
import { createEtcdClient } from '../../../edge/cluster/etcd-client';
import { hostAddresses } from '../../../edge/cluster/host-addresses';
import { monotonicClock } from '../../../edge/cluster/monotonic-clock';
import { NodePresence } from '../../../edge/cluster/node-presence';
import { eventually } from '../../support/eventually';
import { ClusterAgent } from '../../integration/cluster/support/cluster-agent';
import { EtcdCluster } from '../../integration/cluster/support/etcd-cluster';
import { freePorts } from '../../integration/cluster/support/free-ports';
import { sectionAfterSetup } from './support/setup-sign-in';
import { launchBrowser, screenshot } from '../support/headless-browser';
import { otherLanguageOn } from '../support/language-check';

const PASSWORD = 'correct horse battery staple';
const TAKEOVER_MS = 15_000;
/** TEST-NET-1: an address no interface of this host has. */
const VIRTUAL_ADDRESS = '192.0.2.100';
const NOTIFY_SCRIPT = path.resolve('packaging/keepalived/notify-state.sh');

describe('site dashboard, the Network management page of cluster nodes, in headless Chromium', () => {
  let etcd: EtcdCluster;
  let browser: Browser;
  let stateDir: string;
  const agents: ClusterAgent[] = [];
  const siteId = `site-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-keepalived-'));
    for (const nodeId of ['gw-a', 'gw-b']) {
      const stateFile = path.join(stateDir, nodeId);
      // As keepalived calls its notify script: <file> then its own arguments (type, instance, state, priority).
      execFileSync(NOTIFY_SCRIPT, [stateFile, 'INSTANCE', 'site', nodeId === 'gw-a' ? 'MASTER' : 'BACKUP', '100']);
      agents.push(
        await ClusterAgent.start({
          nodeId,
          siteId,
          endpoints: etcd.endpoints,
          staticOrder: ['gw-a', 'gw-b'],
          chargers: 1,
          ocppHost: '0.0.0.0',
          network: { virtualAddress: VIRTUAL_ADDRESS, keepalivedStateFile: stateFile },
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
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function networkPage(agent: ClusterAgent, locale: Locale): Promise<Page> {
    const page = await sectionAfterSetup(browser, agent.agent.dashboardSetupUrl ?? '', {
      locale,
      password: PASSWORD,
      section: 'network',
    });
    return page;
  }

  const answerOn = async (page: Page): Promise<NetworkAnswer> =>
    NetworkAnswerSchema.parse(
      await page.evaluate(async () => (await fetch('/api/network')).json() as Promise<unknown>),
    );

  /**
   * The answer on `page` once `holds`, read every 200 ms: a presence key on the test's 2 s lease may be renewed late on
   * a loaded machine, and etcd deletes it meanwhile (the node puts it again at once).
   */
  async function answerOnceItHolds(page: Page, what: string, holds: (a: NetworkAnswer) => boolean) {
    const giveUpAt = Date.now() + TAKEOVER_MS;
    for (;;) {
      const answer = await answerOn(page);
      if (holds(answer)) return answer;
      if (Date.now() > giveUpAt) throw new Error(`not within ${TAKEOVER_MS} ms: ${what}; ${JSON.stringify(answer)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it("should show each gateway's addresses, the virtual address, keepalived, etcd's members and each peer's reach, with etcd's quorum and without", async () => {
    // Arrange
    const [a, b] = agents as [ClusterAgent, ClusterAgent];
    const en = CATALOGUES.en.dashboard.network;
    const de = CATALOGUES.de.dashboard.network;

    // Act
    const onA = await networkPage(a, 'en');
    const onB = await networkPage(b, 'de');

    // Assert: the pages, each in its language
    await onA.getByRole('table', { name: en.interfacesCaption }).getByRole('row').nth(1).waitFor();
    await onA
      .getByRole('table', { name: en.peersCaption })
      .getByRole('row', { name: new RegExp(`gw-b.*${en.present}.*yes, at `) })
      .waitFor({ timeout: TAKEOVER_MS });
    await onA
      .getByTestId('network-facts')
      .filter({ hasText: `${VIRTUAL_ADDRESS} ${en.notHeld}` })
      .waitFor();
    await onA.getByTestId('network-facts').filter({ hasText: 'MASTER since' }).waitFor();
    await onB
      .getByRole('table', { name: de.peersCaption })
      .getByRole('row', { name: new RegExp(`gw-a.*${de.present}.*ja, unter `) })
      .waitFor({ timeout: TAKEOVER_MS });
    await onB.getByTestId('network-facts').filter({ hasText: 'BACKUP seit' }).waitFor();
    const members = onB.getByRole('table', { name: de.etcdCaption });
    await members
      .getByRole('row', { name: new RegExp(de.answers) })
      .nth(2)
      .waitFor();
    expect(await otherLanguageOn(onA, 'en')).toEqual([]);
    expect(await otherLanguageOn(onB, 'de')).toEqual([]);
    await screenshot(onA, 'dashboard', '10-network');

    // Assert: the answer behind gw-a's page
    // Other tests on this machine add and remove interfaces (their network namespaces' veth pairs), so the host's
    // addresses are compared with a read made right after the answer's, and the peer's are those it announced.
    const answer = await answerOnceItHolds(
      onA,
      "gw-b present, and the host's addresses as read now",
      (n) =>
        n.cluster?.peers[0]?.present === true && n.interfaces.map((i) => i.address).join() === hostAddresses().join(),
    );
    expect(answer.cluster).toMatchObject({
      virtualAddress: { address: VIRTUAL_ADDRESS, held: false },
      keepalived: { state: 'MASTER', since: expect.any(Number) as unknown },
      peers: [{ id: 'gw-b', present: true, reachable: true }],
    });
    const peer = answer.cluster?.peers[0];
    expect(peer?.addresses).not.toContain('127.0.0.1');
    const dialled = (address: string) => `${address.includes(':') ? `[${address}]` : address}:${b.agent.ocppPort}`;
    expect(peer?.addresses.map(dialled)).toContain(peer?.reachedAt);
    expect(answer.cluster?.etcdMembers.map((m) => m.healthy)).toEqual([true, true, true]);
    expect(answer.cluster?.etcdMembers.filter((m) => m.raftLeader === true)).toHaveLength(1);

    // Act: a third node's presence key, alive, naming an OCPP port nothing listens on (as a peer cut off from the
    // chargers' LAN, or whose agent hangs, while its key is still renewed)
    const [closedPort] = await freePorts(1);
    const client = createEtcdClient(etcd.endpoints, 1_000);
    const gwC = new NodePresence(
      client,
      `ampshare/${siteId}/presence/`,
      'gw-c',
      { ttlSeconds: 2, renewEveryMs: 500 },
      monotonicClock,
      peer?.addresses ?? [],
    );
    try {
      await gwC.start(closedPort);

      // Assert: present, and not reachable
      await onA
        .getByRole('table', { name: en.peersCaption })
        .getByRole('row', { name: new RegExp(`gw-c.*${en.present}.*${en.unreachable}`) })
        .waitFor({ timeout: TAKEOVER_MS });
      const withC = await answerOnceItHolds(onA, 'gw-c present', (n) => n.cluster?.peers[1]?.present === true);
      expect(withC.cluster?.peers[1]).toEqual({
        id: 'gw-c',
        addresses: peer?.addresses,
        present: true,
        reachedAt: null,
        reachable: false,
      });
    } finally {
      await gwC.stop();
      client.close();
    }

    // Act: two of etcd's members frozen: no quorum, no presence to read
    etcd.signal(1, 'SIGSTOP');
    etcd.signal(2, 'SIGSTOP');
    try {
      // Assert: gw-b is still dialled where it last said it was, and answers (before: nothing to dial)
      await onA
        .getByRole('table', { name: en.peersCaption })
        .getByRole('row', { name: new RegExp(`gw-b.*${en.unknown}.*yes, at `) })
        .waitFor({ timeout: TAKEOVER_MS });
      const noQuorum = await answerOnceItHolds(
        onA,
        'etcd without quorum',
        (n) => n.cluster?.peers[0]?.present === null,
      );
      expect(noQuorum.cluster?.peers[0]).toMatchObject({ id: 'gw-b', present: null, reachable: true });
      expect(peer?.addresses.map(dialled)).toContain(noQuorum.cluster?.peers[0]?.reachedAt);
    } finally {
      etcd.signal(1, 'SIGCONT');
      etcd.signal(2, 'SIGCONT');
    }

    // Act: gw-b stops; its presence key goes with it
    await b.stop();

    // Assert: gw-a's page shows its peer absent, dialled at its last addresses without an answer
    await onA
      .getByRole('table', { name: en.peersCaption })
      .getByRole('row', { name: new RegExp(`gw-b.*${en.absent}.*${en.unreachable}`) })
      .waitFor({ timeout: TAKEOVER_MS });
    expect((await answerOn(onA)).cluster?.peers[0]).toEqual({
      id: 'gw-b',
      addresses: peer?.addresses,
      present: false,
      reachedAt: null,
      reachable: false,
    });
  });
});
