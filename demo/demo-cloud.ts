/** The demo's cloud: the local stack (cloud/local) with a gateway registered for the demo site, and the agent's `sync` section for it. */
import type { Logger } from 'pino';
import { startLocalCloud, type LocalCloud } from '../cloud/local/start-local-cloud';
import { parseSyncConfig, type SyncConfig } from '../edge/sync/sync-config';

export interface DemoCloud {
  readonly cloud: LocalCloud;
  /** The agent's sync section: the local broker with the gateway's credentials. */
  readonly sync: SyncConfig;
}

/** Starts the local cloud and registers a gateway for `siteId` through its API (the demo tenant's token). */
export async function startDemoCloud(siteId: string, logger: Logger): Promise<DemoCloud> {
  const cloud = await startLocalCloud({
    logger: logger.child({ part: 'cloud' }),
    // The demo stops on Ctrl-C: the agent's last messages reach the cloud's table before it stops (start-demo.ts)
    ownProcessGroup: true,
  });
  try {
    if (siteId !== cloud.demo.siteId)
      throw new Error(`the demo site is "${siteId}" but the local cloud seeds "${cloud.demo.siteId}"`);
    const response = await fetch(`${cloud.apiUrl}/sites/${siteId}/gateways`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${cloud.demo.token}` },
    });
    if (response.status !== 201)
      throw new Error(`gateway registration failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as {
      registration: { thingName: string };
      credentials: { username: string; password: string };
    };
    const sync = parseSyncConfig({
      broker: {
        kind: 'local',
        url: cloud.mqttUrl,
        username: body.credentials.username,
        password: body.credentials.password,
      },
      thingName: body.registration.thingName,
      siteId,
      reconnect: { initialDelayMs: 200, maxDelayMs: 5_000 },
    });
    return { cloud, sync };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}
