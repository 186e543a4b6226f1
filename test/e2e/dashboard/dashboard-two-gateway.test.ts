/**
 * The Cluster settings page in headless Chromium on two real agents on 127.0.0.1 in two-gateway mode (no witness, no
 * etcd), each reaching the other at its `cluster.peer.url`: gw-a's page in English and gw-b's in German list this
 * agent and the other gateway with its role as far as this one can tell and whether it is reachable; once gw-b stops,
 * gw-a's page shows it not reachable without a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';
import { startTwoGateways, type TwoGatewayAgent } from '../../integration/cluster/support/two-gateway-agents';
import { sectionAfterSetup } from './support/setup-sign-in';
import { launchBrowser, screenshot } from '../support/headless-browser';
import { otherLanguageOn } from '../support/language-check';

const PASSWORD = 'correct horse battery staple';
/** The page reads every 2 s; the other gateway's reach may be 5 s old; room for a loaded machine. */
const WITHIN_MS = 15_000;

describe('site dashboard, the Cluster settings page of two gateways without a witness, in headless Chromium', () => {
  let browser: Browser;
  let gateways: TwoGatewayAgent[] = [];

  beforeAll(async () => {
    gateways = await startTwoGateways();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
  });

  async function clusterPage(gateway: TwoGatewayAgent, locale: Locale): Promise<Page> {
    const page = await sectionAfterSetup(browser, gateway.agent.dashboardSetupUrl ?? '', {
      locale,
      password: PASSWORD,
      section: 'cluster',
    });
    return page;
  }

  async function nodeRow(page: Page, caption: string, name: RegExp): Promise<void> {
    await page.getByRole('table', { name: caption }).getByRole('row', { name }).waitFor({ timeout: WITHIN_MS });
  }

  it('should list this agent and the other gateway, reachable, then not reachable once it stops', async () => {
    // Arrange
    const [a, b] = gateways as [TwoGatewayAgent, TwoGatewayAgent];
    const en = CATALOGUES.en.dashboard.cluster;
    const de = CATALOGUES.de.dashboard.cluster;

    // Act
    const onA = await clusterPage(a, 'en');
    const onB = await clusterPage(b, 'de');

    // Assert: no charger connected, so neither holds the majority: each is a standby, the other's role unknown
    await nodeRow(onA, en.peersCaption, /^gw-a \(this agent\) STANDBY – healthy now/);
    await nodeRow(onA, en.peersCaption, /^gw-b UNKNOWN – healthy \S/);
    await nodeRow(onB, de.peersCaption, /^gw-b \(dieser Agent\) STANDBY – erreichbar jetzt/);
    await nodeRow(onB, de.peersCaption, /^gw-a UNBEKANNT – erreichbar \S/);
    expect(await otherLanguageOn(onA, 'en')).toEqual([]);
    expect(await otherLanguageOn(onB, 'de')).toEqual([]);
    await screenshot(onA, 'dashboard', '09-cluster-two-gateways');

    // Act: gw-b stops
    await b.stop();

    // Assert: gw-a's page says so without a reload
    await nodeRow(onA, en.peersCaption, new RegExp(`^gw-b UNKNOWN – ${en.unreachable} \\S`));
    expect(await otherLanguageOn(onA, 'en')).toEqual([]);
  }, 60_000);
});
