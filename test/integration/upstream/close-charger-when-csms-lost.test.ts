/**
 * The per-site option for the OCPP 2.0.1 local-controller rule: when a charger's link to the CSMS is lost, the agent
 * closes the charger's connection too, and refuses it at the WebSocket handshake while the CSMS cannot be reached;
 * once the CSMS is back the charger is taken again and everything queued drains. Off by default: the charger stays
 * connected and the agent stands in for the CSMS.
 */
import { once } from 'node:events';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamConfigInput } from '../../../edge/upstream/upstream-config';
import { eventually } from '../../support/eventually';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { isoSecond as iso } from './support/offline-settings';
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

  const newCharger = (): RPCClient => {
    const charger = rawChargePoint({
      endpoint: edge?.agent.ocppUrl ?? '',
      identity: 'CP-1',
      password: passwordOf('CP-1'),
    });
    clients.push(charger);
    return charger;
  };

  /** The HTTP status a connection attempt was refused with at the handshake (undefined: it was taken). */
  const refusal = (charger: RPCClient): Promise<number | undefined> =>
    charger.connect().then(
      () => undefined,
      (error: unknown) => (error as { code?: number }).code,
    );

  async function chargerBehindAgent(upstream: Partial<UpstreamConfigInput>): Promise<RPCClient> {
    csms = await TsOcppCsms.start();
    edge = await startEdge({
      chargers: 1,
      upstream: { csmsUrl: csms.url, reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, ...upstream },
    });
    const client = newCharger();
    await client.connect();
    await csms.until('link up', () => csms?.isConnected('CP-1') ?? false);
    return client;
  }

  it('should close the charger’s connection when its CSMS link is lost, refuse it at the handshake while the CSMS is away, and take it once it is back', async () => {
    // Arrange
    const client = await chargerBehindAgent({ closeChargerWhenCsmsLost: true });
    const closed = once(client, 'close');

    // Act: the CSMS goes away, the charger comes back while it is away, then once it has returned
    await csms?.close();
    const [{ code }] = (await closed) as [{ code: number }];
    const refused = await refusal(newCharger());
    csms = await csms?.restart();
    const again = newCharger();
    const taken = await refusal(again);
    const linkedAtOnce = csms?.isConnected('CP-1');
    const heartbeat = await again.call('Heartbeat', {});

    // Assert: before, the charger was taken at the handshake and closed only once its link's first attempt failed
    expect(code).toBe(1001);
    expect(refused).toBe(503);
    expect(edge?.agent.upstream?.isOpen('CP-1')).toBe(true);
    expect(taken).toBeUndefined();
    // Taken only once its link to the CSMS was open
    expect(linkedAtOnce).toBe(true);
    expect(heartbeat).toEqual({ currentTime: expect.any(String) as unknown });
  });

  it('should lose nothing of the forward log when it closes a charger with messages queued, and drain it once the CSMS is back', async () => {
    // Arrange: the CSMS stays connected but does not answer StartTransaction, so a whole transaction queues behind it
    const client = await chargerBehindAgent({
      closeChargerWhenCsmsLost: true,
      unknownTags: 'accept',
      answerTimeoutMs: 300,
      callTimeoutMs: 200,
    });
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Strict' });
    csms?.unanswered.set('StartTransaction', 1_000);
    const start = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-7',
      meterStart: 100,
      timestamp: iso(Date.now()),
    })) as { transactionId: number };
    const meterValues = {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [
        { timestamp: iso(Date.now()), sampledValue: [{ value: '700', measurand: 'Energy.Active.Import.Register' }] },
      ],
    };
    await client.call('MeterValues', meterValues);
    await client.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 900,
      timestamp: iso(Date.now()),
      reason: 'Local',
    });
    const closed = once(client, 'close');

    // Act: the CSMS goes away with the transaction queued, the charger is refused while it is away, then it returns
    await csms?.close();
    await closed;
    const queuedWhenClosed = edge?.agent.upstream?.backlog('CP-1').messages;
    const refused = await refusal(newCharger());
    const queuedWhenRefused = edge?.agent.upstream?.backlog('CP-1').messages;
    csms = await csms?.restart();
    expect(await refusal(newCharger())).toBeUndefined();
    await eventually('backlog delivered', () => edge?.agent.upstream?.backlog('CP-1').messages === 0);

    // Assert: the transaction was answered with a provisional id and reached the CSMS whole, with its real id
    expect(start.transactionId).toBe(-2);
    expect(queuedWhenClosed).toBe(3);
    expect(refused).toBe(503);
    expect(queuedWhenRefused).toBe(3);
    const startPayload = csms?.of('StartTransaction', 'CP-1')[0] ?? {};
    const realId = csms?.transactionIdOf('CP-1', startPayload);
    expect(startPayload).toMatchObject({ idTag: 'TAG-7', meterStart: 100 });
    expect(realId).toBeGreaterThanOrEqual(1000);
    expect(csms?.of('MeterValues', 'CP-1')).toEqual([{ ...meterValues, transactionId: realId }]);
    expect(csms?.of('StopTransaction', 'CP-1')).toEqual([
      expect.objectContaining({ transactionId: realId, meterStop: 900 }),
    ]);
    // The start answered first, then its meter values and stop (each once)
    const actions = (csms?.received ?? []).map((r) => r.action);
    expect(actions.lastIndexOf('StartTransaction')).toBeLessThan(actions.indexOf('MeterValues'));
  });

  it('should keep the charger connected when the CSMS link is lost, by default', async () => {
    // Arrange
    const client = await chargerBehindAgent({});
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
