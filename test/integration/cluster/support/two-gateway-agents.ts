/**
 * Two real agents on 127.0.0.1 in two-gateway mode (no witness, no etcd), each with `cluster.peer` naming the other's
 * link directly (no relay): the loopback set-up of the dashboard's two-gateway answers and pages.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { parseEdgeConfig } from '../../../../edge/config/load-config';
import { type RunningAgent, startAgent } from '../../../../edge/main';
import { edgeConfig } from '../../edge/support/edge-fixture';
import { freePorts } from './free-ports';

const SECRET = 'a-site-secret-of-at-least-32-characters';

export interface TwoGatewayAgent {
  readonly agent: RunningAgent;
  /** The port its peer link listens on (the other's `cluster.peer.url`). */
  readonly peerPort: number;
  /** Stops it once, whoever asks first (the test, or `stopTwoGateways`). */
  stop(): Promise<void>;
}

/** gw-a and gw-b, each site listing `chargers` chargers, none connected. */
export async function startTwoGateways(chargers = 2): Promise<[TwoGatewayAgent, TwoGatewayAgent]> {
  const [portA, portB] = (await freePorts(2)) as [number, number];
  const a = await gateway('gw-a', portA, portB, chargers);
  const b = await gateway('gw-b', portB, portA, chargers).catch(async (error: unknown) => {
    await a.stop();
    throw error;
  });
  return [a, b];
}

async function gateway(nodeId: string, listenPort: number, peerPort: number, chargers: number) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `ampshare-${nodeId}-`));
  writeFileSync(path.join(dataDir, 'peer-secret'), `${SECRET}\n`, { mode: 0o600 });
  const config = parseEdgeConfig(
    {
      ...edgeConfig({ chargers }, dataDir),
      cluster: {
        nodeId,
        witness: false,
        staticOrder: ['gw-a', 'gw-b'],
        peer: { url: `http://127.0.0.1:${peerPort}`, listenHost: '127.0.0.1', listenPort, secretFile: 'peer-secret' },
      },
    },
    dataDir,
  );
  const agent = await startAgent(config, { logger: pino({ level: 'silent' }) });
  let stopped: Promise<void> | undefined;
  return {
    agent,
    peerPort: listenPort,
    stop: () => (stopped ??= agent.stop().finally(() => rmSync(dataDir, { recursive: true, force: true }))),
  } satisfies TwoGatewayAgent;
}
