/**
 * The whole local cloud, a real edge agent synced with it and a signed-in console page: what the console tests of a
 * live site start from. `prepare` runs between the agent's start and the sign-in (sessions, waiting for reports).
 */
import type { Browser, Page } from 'playwright-core';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { startSyncedEdge, type SyncedEdge } from '../../../integration/edge/support/synced-edge';
import { restartPort } from '../../../support/restart-port';
import { launchBrowser, WAIT_MS } from '../../support/headless-browser';
import { signIn } from './console-sign-in';

export interface LiveConsole {
  readonly cloud: LocalCloud;
  readonly edge: SyncedEdge;
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

export async function startLiveConsole(
  edgeOptions: Parameters<typeof startSyncedEdge>[1],
  prepare?: (cloud: LocalCloud, edge: SyncedEdge) => Promise<void>,
): Promise<LiveConsole> {
  const [cloud, browser] = await Promise.all([
    startLocalCloud({ apiPort: 0, mqttPort: await restartPort() }),
    launchBrowser(),
  ]);
  const edge = await startSyncedEdge(cloud, edgeOptions);
  await prepare?.(cloud, edge);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(WAIT_MS);
  await signIn(page, cloud.consoleUrl, cloud.demo.tenantId);
  return {
    cloud,
    edge,
    browser,
    page,
    close: async () => {
      await browser.close();
      await edge.close();
      await cloud.stop();
    },
  };
}
