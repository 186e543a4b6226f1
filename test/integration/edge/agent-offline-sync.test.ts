/**
 * Offline operation of the whole agent against the local cloud: virtual chargers charging (cars arrive and leave), a
 * Modbus meter that fails and recovers, a dashboard edit; the broker is cut, the agent restarted in the middle of the
 * outage, then the broker comes back. The site keeps allocating throughout, and every session and event reaches
 * DynamoDB exactly once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../cloud/local/start-local-cloud';
import type { ControlEvent } from '../../../edge/control/control-events';
import { PolicySchema, type PolicyInput } from '../../../shared/policy/policy-schema';
import { parseGatewayStreamTopic, type SiteStream } from '../../../shared/sync/sync-topics';
import type { VirtualCharger } from '../../../sim/charger/virtual-charger';
import { meterRegisterImage } from '../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../sim/meter/modbus-tcp-server';
import { restartPort } from '../../support/restart-port';
import { DeliveryAudit, readOutbox } from './support/delivery-audit';
import {
  policyWithBudget,
  startSyncedEdge,
  untilCloud,
  type SyncedEdge,
  type SyncedEdgeOptions,
} from './support/synced-edge';

const CHARGERS = 4;
const DYNAMIC: Partial<PolicyInput> = {
  control: { mode: 'dynamic', safetyMarginAmps: 3, staleMeter: { afterSeconds: 1, fallbackAmps: 24 } },
};
const FAR = 10 * 365 * 86_400_000;
const WAIT_MS = 10_000;

describe('edge agent offline: broker cut, agent restarted, broker back', () => {
  let cloud: LocalCloud;
  let meter: ModbusTcpServer;
  let audit: DeliveryAudit;
  const edges: SyncedEdge[] = [];
  const chargers = new Map<string, VirtualCharger>();
  const events = () => edges.flatMap((e) => e.events.events);
  const eventsSince = (edge: SyncedEdge, at: number) => edge.events.events.filter((e) => e.at >= at);
  const sessionRows = async () =>
    (
      await cloud.repositories.sessions.list(cloud.demo.tenantId, cloud.demo.siteId, {
        from: 0,
        to: Date.now() + FAR,
        limit: 100,
      })
    ).items;
  const leased = (edge: SyncedEdge, chargerId: string, since: number) => () =>
    eventsSince(edge, since).some((e) => e.type === 'profileAccepted' && e.chargerId === chargerId);

  beforeAll(async () => {
    cloud = await startLocalCloud({ mqttPort: await restartPort() });
    // The grid meter reads 10 A of building plus what the virtual cars draw.
    const draw = () => [...chargers.values()].reduce((sum, c) => sum + c.drawAmps, 0);
    meter = createModbusTcpServer({
      source: meterRegisterImage('eastron-sdm630', () => ({
        volts: [230, 230, 230],
        amps: [10 + draw(), 10 + draw(), 10 + draw()],
        importWh: 0,
      })),
    });
    const meterPort = await meter.start();
    const first = await startSyncedEdge(cloud, { chargers: CHARGERS, meterPort, policy: DYNAMIC });
    edges.push(first);
    audit = new DeliveryAudit(cloud, first.gateway.thingName);
  });
  afterAll(async () => {
    audit?.stop();
    // The restarted agents share the first one's data directory, which the first removes.
    const [first, ...restarted] = edges;
    for (const edge of restarted) await edge.close(true);
    await first?.close();
    await meter?.stop();
    await cloud?.stop();
  });

  async function arrive(edge: SyncedEdge, chargerId: string, idTag: string): Promise<number> {
    const since = Date.now();
    const charger = chargers.get(chargerId) ?? (await edge.charger(chargerId));
    chargers.set(chargerId, charger);
    const transactionId = await edge.startSession(charger, idTag);
    await edge.events.until(`${chargerId} leased`, leased(edge, chargerId, since), WAIT_MS);
    return transactionId;
  }

  async function leave(edge: SyncedEdge, chargerId: string): Promise<void> {
    const charger = chargers.get(chargerId)!;
    const transactionId = charger.transactionId;
    await charger.unplug();
    await edge.events.until(
      `${chargerId} session ended`,
      () => edge.events.of('sessionEnded').some((e) => e.transactionId === transactionId),
      WAIT_MS,
    );
  }

  it('should keep allocating through the outage and the restart, then deliver every session and event exactly once, in order', async () => {
    const [first] = edges as [SyncedEdge];
    const options: SyncedEdgeOptions = {
      chargers: CHARGERS,
      policy: DYNAMIC,
      meterPort: meter.port,
      dataDir: first.dataDir,
      ocppPort: first.agent.ocppPort,
      gateway: first.gateway,
    };

    // Online: two cars charging; their sessions reach DynamoDB.
    await arrive(first, 'CP-1', 'TAG-1');
    await arrive(first, 'CP-2', 'TAG-2');
    await untilCloud(cloud, 'two sessions stored', async () => (await sessionRows()).length === 2);

    // The broker goes away while the batch with CP-3's session start is on the wire. A car leaves and comes back, the
    // meter fails and recovers, an installer edits the policy.
    const cut = cutWithBatchInFlight(cloud, first.gateway.thingName, 'sessions');
    const cutAt = Date.now();
    await arrive(first, 'CP-3', 'TAG-3');
    await cut;
    await leave(first, 'CP-2');
    meter.setMode('garbage');
    await first.events.until('meter lost', () => first.events.of('meterLost').length > 0, WAIT_MS);
    meter.setMode('normal');
    await first.events.until('meter recovered', () => first.events.of('meterRecovered').length > 0, WAIT_MS);
    expect(
      first.agent.sync?.applyLocalPolicy(
        PolicySchema.parse(policyWithBudget({ chargers: CHARGERS, policy: DYNAMIC }, 40)),
      ),
    ).toEqual({ ok: true });
    await first.events.until('the edit in force', () => first.events.latest?.budget.value === 40);
    await arrive(first, 'CP-2', 'TAG-2');
    expect(first.agent.sync?.status().link.status).not.toBe('connected');
    // CP-3's start, CP-2's stop and its new start wait in the outbox, with any energy progress of the charging sessions.
    expect(first.agent.sync?.status().outbox.byStream.sessions).toBeGreaterThanOrEqual(3);

    // The agent restarts during the outage; the chargers find it again and more cars come and go.
    await first.stopAgent();
    const second = await startSyncedEdge(cloud, options);
    edges.push(second);
    const restartAt = Date.now();
    for (const id of ['CP-1', 'CP-2', 'CP-3']) await chargers.get(id)!.connect();
    await second.events.until(
      'CP-1 and CP-3 leased by the new agent',
      () => leased(second, 'CP-1', restartAt)() && leased(second, 'CP-3', restartAt)(),
      WAIT_MS,
    );
    await arrive(second, 'CP-4', 'TAG-4');
    await leave(second, 'CP-3');
    await leave(second, 'CP-2');
    const outage = [...eventsSince(first, cutAt), ...eventsSince(second, restartAt)];
    expect(outage.filter((e) => e.type === 'allocation').length).toBeGreaterThan(4);
    const leasedDuringOutage = outage.flatMap((e) => (e.type === 'profileAccepted' ? [e.chargerId] : []));
    expect(leasedDuringOutage).toEqual(expect.arrayContaining(['CP-1', 'CP-3', 'CP-4']));

    // The broker comes back: the outbox drains and the shadow learns of the edit.
    await cloud.broker.listen();
    const reported = () => cloud.shadows.document(first.gateway.thingName, 'policy')?.state.reported;
    await untilCloud(cloud, 'sessions and events drained, the edit reported', () => {
      const waiting = second.agent.sync!.status().outbox.byStream;
      return waiting.sessions === 0 && waiting.events === 0 && reported()?.source === 'local';
    });
    // Stopping saves the sessions' energy once more: that message waits in the outbox for the next start, not lost.
    const drained = new Set(readOutbox(second.dataDir).produced);
    await second.stopAgent();
    await cloud.bridge.idle();
    const outbox = readOutbox(second.dataDir);

    // Exactly once: every acknowledged id is recorded by the ingest, stored once, nothing recorded that was not produced.
    const acknowledged = outbox.produced.filter((id) => !outbox.waiting.has(id));
    const recorded = await audit.recorded([...outbox.produced, ...audit.arrived()]);
    expect([...outbox.waiting].filter(([id, stream]) => stream !== 'telemetry' && drained.has(id))).toEqual([]);
    expect(acknowledged.filter((id) => !recorded.has(id))).toEqual([]);
    expect([...recorded].filter((id) => !outbox.produced.includes(id))).toEqual([]);
    expect(audit.stored).toBe(recorded.size);
    // In order: first arrivals follow the outbox's order on every stream.
    for (const ids of Object.values(audit.firstSeen)) expect(ids).toEqual([...ids].sort());

    // DynamoDB holds each session once, at its last state, and each event once, in the order they happened.
    expect(
      (await sessionRows())
        .map((s) => ({
          sessionId: s.sessionId,
          connector: s.connector,
          idTag: s.idTag,
          startedAt: s.startedAt,
          stoppedAt: s.stoppedAt,
          energyWh: s.energyWh,
        }))
        .sort(bySession),
    ).toEqual(expectedSessions(events()));
    const stored = [
      ...(
        await cloud.repositories.events.list(cloud.demo.tenantId, cloud.demo.siteId, {
          from: 0,
          to: Date.now() + FAR,
          limit: 100,
        })
      ).items,
    ].reverse();
    expect(stored.map((e) => e.eventId)).toEqual(audit.firstSeen.events);
    expect(stored.filter((e) => e.type.startsWith('meter.')).map((e) => [e.type, e.at])).toEqual(
      expectedMeterEvents(events()),
    );
    expect(stored.filter((e) => e.type === 'policy.applied').map((e) => e.data)).toEqual([
      { version: 0, source: 'local' },
    ]);
    expect(reported()).toMatchObject({ version: 0, status: 'applied', source: 'local' });
  });
});

/**
 * Cuts the broker when the gateway's next batch on `stream` comes in, before aedes acknowledges or routes it (aedes
 * answers PUBACK only after `authorizePublish`): the batch was sent, and neither acknowledged nor received.
 */
function cutWithBatchInFlight(cloud: LocalCloud, thingName: string, stream: SiteStream): Promise<void> {
  const { aedes } = cloud.broker;
  const authorize = aedes.authorizePublish;
  return new Promise((resolve, reject) => {
    aedes.authorizePublish = (client, packet, done) => {
      if (client?.id !== thingName || parseGatewayStreamTopic(packet.topic)?.stream !== stream)
        return authorize.call(aedes, client, packet, done);
      aedes.authorizePublish = authorize;
      cloud.broker.stopListening().then(resolve, reject);
    };
  });
}

const bySession = (a: { sessionId: string }, b: { sessionId: string }) => Number(a.sessionId) - Number(b.sessionId);

/** One row per transaction the agents saw start, at its last state. */
function expectedSessions(events: readonly ControlEvent[]) {
  return events
    .flatMap((e) => (e.type === 'sessionStarted' ? [e] : []))
    .map((started) => {
      const ended = events.find((e) => e.type === 'sessionEnded' && e.transactionId === started.transactionId);
      const stop =
        ended?.type === 'sessionEnded'
          ? { stoppedAt: ended.stoppedAt, energyWh: ended.energyWh }
          : // An open session holds the energy so far of the last telemetry sample the ingest took (issue 12, item 4):
            // 0 or more, depending on whether a sample with its energy got through before the check.
            { stoppedAt: undefined, energyWh: expect.any(Number) as number };
      return {
        sessionId: String(started.transactionId),
        connector: started.ref,
        idTag: started.idTag,
        startedAt: started.startedAt,
        ...stop,
      };
    })
    .sort(bySession);
}

function expectedMeterEvents(events: readonly ControlEvent[]): [string, number][] {
  return events.flatMap((e): [string, number][] =>
    e.type === 'meterLost' ? [['meter.lost', e.at]] : e.type === 'meterRecovered' ? [['meter.recovered', e.at]] : [],
  );
}
