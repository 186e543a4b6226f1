/**
 * The per-site option for the OCPP 2.0.1 local-controller rule: when a charger's link to the CSMS is lost, the agent
 * closes the charger's connection too, and closes it again each time it reconnects while the CSMS is away.
 * Off by default: the charger stays connected and the agent stands in for the CSMS.
 */
import { once } from 'node:events';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { TsOcppCsms } from './support/ts-ocpp-csms';

describe('edge agent in front of a CSMS, closeChargerWhenCsmsLost', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  const clients: RPCClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close({ force: true });
    await edge?.close();
    await csms?.close();
    edge = csms = undefined;
  });

  async function chargerBehindAgent(closeChargerWhenCsmsLost: boolean | undefined): Promise<RPCClient> {
    csms = await TsOcppCsms.start();
    edge = await startEdge({
      chargers: 1,
      upstream: {
        csmsUrl: csms.url,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
        ...(closeChargerWhenCsmsLost !== undefined && { closeChargerWhenCsmsLost }),
      },
    });
    const client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    clients.push(client);
    await client.connect();
    await csms.until('link up', () => csms?.isConnected('CP-1') ?? false);
    return client;
  }

  it('should close the charger’s connection when its CSMS link is lost, refuse it while the CSMS is away, and take it once it is back', async () => {
    // Arrange
    const client = await chargerBehindAgent(true);
    const closed = once(client, 'close');
    const connectCharger = async () => {
      const charger = rawChargePoint({
        endpoint: edge?.agent.ocppUrl ?? '',
        identity: 'CP-1',
        password: passwordOf('CP-1'),
      });
      clients.push(charger);
      const gone = once(charger, 'close');
      await charger.connect();
      return { charger, gone };
    };

    // Act: the CSMS goes away, the charger comes back while it is away, then once it has returned
    await csms?.close();
    const [{ code }] = (await closed) as [{ code: number }];
    const refused = await connectCharger();
    const [{ code: refusedCode }] = (await refused.gone) as [{ code: number }];
    csms = await csms?.restart();
    const again = await connectCharger();
    await csms?.until('link up again', () => csms?.isConnected('CP-1') ?? false);
    const heartbeat = await again.charger.call('Heartbeat', {});

    // Assert: before, the charger was taken back and served offline while the CSMS was away
    expect(code).toBe(1001);
    expect(refusedCode).toBe(1001);
    expect(heartbeat).toEqual({ currentTime: expect.any(String) as unknown });
  });

  it('should keep the charger connected when the CSMS link is lost, by default', async () => {
    // Arrange
    const client = await chargerBehindAgent(undefined);
    let closed = false;
    client.on('close', () => (closed = true));

    // Act
    await csms?.close();
    await edge?.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    const heartbeat = await client.call('Heartbeat', {});

    // Assert
    expect(closed).toBe(false);
    expect(heartbeat).toEqual({ currentTime: expect.any(String) as unknown });
  });
});
