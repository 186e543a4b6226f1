/**
 * The links to the CSMS as the agent's dashboard shows them (`/api/upstream`, its events) and as the cloud's
 * telemetry sums them: per charger the link, since when, the backlog and its oldest message, the provisional ids;
 * one event for a loss and one for the recovery; messages set aside listed and purged (with an event line).
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import type { SetAsideAnswer, UpstreamAnswer } from '../../../shared/dashboard/upstream-answer';
import { eventually } from '../../support/eventually';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { signedIn } from './support/dashboard-api';
import { TsOcppCsms } from './support/ts-ocpp-csms';

/** Waits, with a bound, until an answer of the dashboard's API satisfies `check` (the events come in 5 s windows). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const timestamp = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();

describe('edge agent in front of a CSMS, on the dashboard', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  let client: RPCClient | undefined;
  afterEach(async () => {
    await client?.close({ force: true });
    await edge?.close();
    await csms?.close();
    client = edge = csms = undefined;
  });

  async function connect(fixture: EdgeFixture, id: string): Promise<RPCClient> {
    const cp = rawChargePoint({ endpoint: fixture.agent.ocppUrl, identity: id, password: passwordOf(id) });
    await cp.connect();
    return cp;
  }

  it("should show each charger's link, backlog and provisional ids, sum them for the cloud, and report the loss and the return", async () => {
    // Arrange: CP-1 online behind the agent, CP-2 never connected
    csms = await TsOcppCsms.start();
    const port = csms.port;
    edge = await startEdge({
      chargers: 2,
      upstream: { csmsUrl: csms.url, unknownTags: 'accept', reconnect: { initialDelayMs: 20, maxDelayMs: 100 } },
    });
    const fixture = edge;
    const dashboard = await signedIn(fixture.agent);
    client = await connect(fixture, 'CP-1');
    await eventually('link up', () => fixture.agent.upstream?.isOpen('CP-1') === true);
    const online = await dashboard.get<UpstreamAnswer>('/upstream');

    // Act: the CSMS goes away, a transaction starts and goes on while it is away, then the CSMS returns
    await csms.close();
    await eventually('link down', () => fixture.agent.upstream?.isOpen('CP-1') === false);
    const start = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 0,
      timestamp: timestamp(),
    })) as { transactionId: number };
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: timestamp(), sampledValue: [{ value: '500' }] }],
    });
    const offline = await dashboard.get<UpstreamAnswer>('/upstream');
    const health = fixture.agent.upstream?.health(['CP-1', 'CP-2']);
    await until('loss reported', async () => (await dashboard.upstreamEvents()).length === 1);
    csms = await TsOcppCsms.start(port, 5000);
    await eventually('backlog delivered', () => fixture.agent.upstream?.backlog('CP-1').messages === 0);
    await until('return reported', async () => (await dashboard.upstreamEvents()).length === 2);
    const back = await dashboard.get<UpstreamAnswer>('/upstream');
    const events = await dashboard.upstreamEvents();

    // Assert
    expect(online.enabled).toBe(true);
    expect(online.chargers.map((c) => [c.chargerId, c.connected, c.since !== null])).toEqual([
      ['CP-1', true, true],
      ['CP-2', false, false],
    ]);
    const cp1 = offline.chargers[0];
    expect(cp1).toMatchObject({
      connected: false,
      backlogMessages: 2,
      mappings: [{ provisionalId: start.transactionId, realId: null }],
      setAside: { refused: 0, unmapped: 0 },
      thinnedMeterValues: 0,
    });
    expect(cp1?.oldestQueuedAt).not.toBeNull();
    expect(cp1?.since).toBeGreaterThanOrEqual(online.chargers[0]?.since ?? Infinity);
    expect(health).toMatchObject({ chargers: 2, connected: 0, backlogMessages: 2, setAside: 0 });
    expect(back.chargers[0]).toMatchObject({
      connected: true,
      chargerConnected: true,
      backlogMessages: 0,
      oldestQueuedAt: null,
      mappings: [{ provisionalId: start.transactionId, realId: 5000 }],
    });
    expect(events.map((e) => [e.severity, e.message])).toEqual([
      ['info', 'CSMS link back for charger CP-1, with 2 queued messages to deliver'],
      [
        'warning',
        'CSMS link lost for charger CP-1; the agent answers as the CSMS and keeps their transaction messages',
      ],
    ]);
  });

  it('should list a message the CSMS refused as set aside, and purge it from the dashboard', async () => {
    // Arrange: a CSMS that refuses every StopTransaction, so that the agent sets it aside after a few tries
    csms = await TsOcppCsms.start();
    csms.refused.add('StopTransaction');
    edge = await startEdge({
      chargers: 1,
      upstream: {
        csmsUrl: csms.url,
        unknownTags: 'accept',
        answerTimeoutMs: 200,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      },
    });
    const fixture = edge;
    const dashboard = await signedIn(fixture.agent);
    client = await connect(fixture, 'CP-1');
    await eventually('link up', () => fixture.agent.upstream?.isOpen('CP-1') === true);
    await client.call('StopTransaction', { transactionId: 4242, meterStop: 10, timestamp: timestamp() });
    await until(
      'set aside',
      async () => (await dashboard.get<SetAsideAnswer>('/upstream/set-aside')).messages.length === 1,
    );
    const listed = await dashboard.get<SetAsideAnswer>('/upstream/set-aside');
    const status = await dashboard.get<UpstreamAnswer>('/upstream');

    // Act
    const seq = listed.messages[0]?.seq ?? 0;
    const purged = await dashboard.post(`/upstream/set-aside/${seq}/purge`);
    const again = await dashboard.post(`/upstream/set-aside/${seq}/purge`);

    // Assert
    expect(listed.messages[0]).toMatchObject({ chargerId: 'CP-1', action: 'StopTransaction', reason: 'refused' });
    expect(JSON.parse(listed.messages[0]?.payload ?? '{}')).toMatchObject({ transactionId: 4242 });
    expect(status.chargers[0]?.setAside).toEqual({ refused: 1, unmapped: 0 });
    expect(purged.status).toBe(200);
    expect(((await purged.json()) as SetAsideAnswer).messages).toEqual([]);
    expect(again.status).toBe(404);
    expect((await dashboard.upstreamEvents()).map((e) => e.message)).toContainEqual(
      `StopTransaction ${seq} of CP-1, set aside (refused), purged on the dashboard: the CSMS will never get it`,
    );
  });

  it('should show a link kept only to deliver the backlog of a charger that left as such, and not count it as linked for the cloud', async () => {
    // Arrange: a CSMS that leaves StartTransaction unanswered, so that CP-1's start stays queued
    csms = await TsOcppCsms.start();
    csms.unanswered.set('StartTransaction', 1_000);
    edge = await startEdge({
      chargers: 1,
      upstream: {
        csmsUrl: csms.url,
        unknownTags: 'accept',
        answerTimeoutMs: 200,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      },
    });
    const fixture = edge;
    const dashboard = await signedIn(fixture.agent);
    client = await connect(fixture, 'CP-1');
    await eventually('link up', () => fixture.agent.upstream?.isOpen('CP-1') === true);
    await client.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: timestamp() });

    // Act: CP-1 leaves with its start queued; its link stays open to deliver it
    await client.close({ force: true });
    client = undefined;
    await until(
      'the charger gone, its link open',
      async () => (await dashboard.get<UpstreamAnswer>('/upstream')).chargers[0]?.chargerConnected === false,
    );
    const status = await dashboard.get<UpstreamAnswer>('/upstream');
    const health = fixture.agent.upstream?.health(['CP-1']);

    // Assert: the link is open, the charger is not (before: shown and counted as a connected charger)
    expect(status.chargers[0]).toMatchObject({ connected: true, chargerConnected: false, backlogMessages: 1 });
    expect(health).toMatchObject({ chargers: 1, connected: 0, backlogMessages: 1 });
  });
});
