/**
 * The two gateways' records merged after a partition (docs/cluster.md, "Merging the two gateways' records"), without
 * network namespaces (the merge needs none): two real agents on 127.0.0.1 in two-gateway mode, each reaching the
 * other's peer endpoint through a relay that the test cuts (the partition: the requests go unanswered) and heals.
 * Real ocpp-rpc chargers move between the two during the partition, so that transactions are split: started on one
 * gateway, metered and stopped on the other. Once the partition heals, both stores must hold every transaction the
 * chargers sent, once, joined, with the energy the chargers metered, and the owner alone reports the joined stop.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_ID_RANGE } from '../../../edge/cluster/two-gateway-node';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { type RunningAgent, startAgent } from '../../../edge/main';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import { eventually } from '../../support/eventually';
import { ControlRecorder } from '../edge/support/control-recorder';
import { edgeConfig, passwordOf } from '../edge/support/edge-fixture';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { freePorts } from './support/free-ports';
import { HalfOpenProxy } from './support/half-open-proxy';

const SECRET = 'a-site-secret-of-at-least-32-characters';
const SYNC_SECONDS = 1;

interface Gateway {
  readonly agent: RunningAgent;
  readonly events: ControlRecorder;
  readonly dataDir: string;
}

interface StoredTransaction {
  id: number;
  charger_id: string;
  meter_start_wh: number;
  meter_stop_wh: number | null;
  energy_wh: number;
}

/** A transaction as its charger sent it: started on one gateway, stopped on one, with its meter readings. */
interface Sent {
  id: number;
  chargerId: string;
  meterStartWh: number;
  meterStopWh: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function stored(gateway: Gateway): StoredTransaction[] {
  const db = new Database(path.join(gateway.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare<[], StoredTransaction>(
        'SELECT id, charger_id, meter_start_wh, meter_stop_wh, energy_wh FROM transactions ORDER BY id',
      )
      .all();
  } finally {
    db.close();
  }
}

describe('two gateways without a witness, their records after a partition', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function gateway(nodeId: string, listenPort: number, peerPort: number): Promise<Gateway> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `ampshare-${nodeId}-`));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    writeFileSync(path.join(dataDir, 'peer-secret'), `${SECRET}\n`, { mode: 0o600 });
    const base = edgeConfig({ chargers: 2 }, dataDir);
    const config = parseEdgeConfig(
      {
        ...base,
        cluster: {
          nodeId,
          witness: false,
          staticOrder: ['gw-a', 'gw-b'],
          peer: {
            url: `http://127.0.0.1:${peerPort}`,
            listenHost: '127.0.0.1',
            listenPort,
            secretFile: 'peer-secret',
            syncIntervalSeconds: SYNC_SECONDS,
          },
        },
      },
      dataDir,
    );
    const events = new ControlRecorder();
    const agent = await startAgent(config, { logger: pino({ level: 'silent' }), observer: events });
    cleanups.push(() => agent.stop());
    return { agent, events, dataDir };
  }

  async function charger(gw: Gateway, identity: string): Promise<RPCClient> {
    const client = rawChargePoint({ endpoint: gw.agent.ocppUrl, identity, password: passwordOf(identity) });
    await client.connect();
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Merge' });
    return client;
  }

  async function start(client: RPCClient, meterStart: number, at: number): Promise<number> {
    const answer = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart,
      timestamp: iso(at),
    })) as { transactionId: number };
    return answer.transactionId;
  }

  async function stop(client: RPCClient, transactionId: number, meterStop: number, at: number): Promise<void> {
    await client.call('StopTransaction', { transactionId, meterStop, timestamp: iso(at), reason: 'EVDisconnected' });
  }

  it('should leave both stores with every transaction the chargers sent, once, split ones joined', async () => {
    // Arrange: each agent reaches the other's endpoint through a relay, cut from the start (the partition)
    const [portA, portB] = await freePorts(2);
    const [toA, toB] = [await HalfOpenProxy.start(portA!), await HalfOpenProxy.start(portB!)];
    cleanups.push(
      () => toA.close(),
      () => toB.close(),
    );
    toA.cut();
    toB.cut();
    const a = await gateway('gw-a', portA!, toB.port);
    const b = await gateway('gw-b', portB!, toA.port);
    const t0 = Date.now() - 3_600_000;
    const sent: Sent[] = [];

    // Act: CP-1 runs a transaction on gw-a, starts another and moves with it to gw-b, which meters and stops it;
    // CP-2 starts on gw-b and moves to gw-a to stop
    const cp1 = await charger(a, 'CP-1');
    const whole = await start(cp1, 1_000, t0);
    await stop(cp1, whole, 3_000, t0 + 60_000);
    sent.push({ id: whole, chargerId: 'CP-1', meterStartWh: 1_000, meterStopWh: 3_000 });
    const splitA = await start(cp1, 3_000, t0 + 120_000);
    const cp2 = await charger(b, 'CP-2');
    const splitB = await start(cp2, 500, t0 + 130_000);
    await cp1.close({ force: true });
    await cp2.close({ force: true });
    const cp1OnB = await charger(b, 'CP-1');
    await cp1OnB.call('MeterValues', {
      connectorId: 1,
      transactionId: splitA,
      meterValue: [
        {
          timestamp: iso(t0 + 150_000),
          sampledValue: [{ value: '4500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    });
    await stop(cp1OnB, splitA, 7_500, t0 + 180_000);
    sent.push({ id: splitA, chargerId: 'CP-1', meterStartWh: 3_000, meterStopWh: 7_500 });
    const onB = await start(cp1OnB, 7_500, t0 + 200_000);
    await stop(cp1OnB, onB, 8_000, t0 + 210_000);
    sent.push({ id: onB, chargerId: 'CP-1', meterStartWh: 7_500, meterStopWh: 8_000 });
    const cp2OnA = await charger(a, 'CP-2');
    await stop(cp2OnA, splitB, 2_500, t0 + 240_000);
    sent.push({ id: splitB, chargerId: 'CP-2', meterStartWh: 500, meterStopWh: 2_500 });

    // While cut off, each store has only its own part: the split transactions are open on the side that started them
    await new Promise((resolve) => setTimeout(resolve, 3 * SYNC_SECONDS * 1000));
    const openIds = (gw: Gateway) =>
      stored(gw)
        .filter((t) => t.meter_stop_wh === null)
        .map((t) => t.id);
    expect(openIds(a)).toEqual([splitA]);
    expect(openIds(b)).toEqual([splitB]);

    // The partition heals
    toA.heal();
    toB.heal();
    const expected = sent
      .map(({ id, chargerId, meterStartWh, meterStopWh }) => ({
        id,
        charger_id: chargerId,
        meter_start_wh: meterStartWh,
        meter_stop_wh: meterStopWh,
        energy_wh: meterStopWh - meterStartWh,
      }))
      .sort((x, y) => x.id - y.id);
    const same = (gw: Gateway) => JSON.stringify(stored(gw)) === JSON.stringify(expected);
    await eventually('both stores hold every transaction once', () => same(a) && same(b), 30_000);

    // Assert: ids from each node's own range; each joined stop reported once, by the node that started it
    expect(stored(a)).toEqual(expected);
    expect(stored(b)).toEqual(expected);
    expect([whole, splitA].every((id) => id <= NODE_ID_RANGE)).toBe(true);
    expect([splitB, onB].every((id) => id > NODE_ID_RANGE)).toBe(true);
    const ended = (gw: Gateway, id: number) =>
      gw.events.of('sessionEnded').filter((event) => event.transactionId === id);
    expect(ended(a, splitA).map((event) => event.energyWh)).toEqual([4_500]);
    expect(ended(b, splitA)).toEqual([]);
    expect(ended(b, splitB).map((event) => event.energyWh)).toEqual([2_000]);
    expect(ended(a, splitB)).toEqual([]);
    for (const client of [cp1OnB, cp2OnA]) await client.close({ force: true });
  }, 90_000);

  it("should list a transaction in progress on the other gateway's store apart, and replace it by the closed one", async () => {
    // Arrange: the two gateways reach each other
    const [portA, portB] = await freePorts(2);
    const [toA, toB] = [await HalfOpenProxy.start(portA!), await HalfOpenProxy.start(portB!)];
    cleanups.push(
      () => toA.close(),
      () => toB.close(),
    );
    const a = await gateway('gw-a', portA!, toB.port);
    const b = await gateway('gw-b', portB!, toA.port);
    const t0 = Date.now() - 600_000;

    // Act: CP-1 charges on gw-a
    const cp1 = await charger(a, 'CP-1');
    const id = await start(cp1, 1_000, t0);

    // Assert: gw-b holds it as gw-a's open transaction, not as one of its own, until it is closed
    const peerOpen = (gw: Gateway) => {
      const db = new Database(path.join(gw.dataDir, DATABASE_FILE), { readonly: true });
      try {
        return db.prepare<[], { id: number }>('SELECT id FROM peer_open_transactions').all();
      } finally {
        db.close();
      }
    };
    await eventually('gw-b lists gw-a open transaction', () => peerOpen(b).length === 1, 30_000);
    expect(peerOpen(b)).toEqual([{ id }]);
    expect(stored(b)).toEqual([]);
    await stop(cp1, id, 4_000, t0 + 60_000);
    const closed = [{ id, charger_id: 'CP-1', meter_start_wh: 1_000, meter_stop_wh: 4_000, energy_wh: 3_000 }];
    await eventually('gw-b holds it closed', () => JSON.stringify(stored(b)) === JSON.stringify(closed), 30_000);
    expect(peerOpen(b)).toEqual([]);
    expect(peerOpen(a)).toEqual([]);
    await cp1.close({ force: true });
  }, 90_000);

  it('should close the id a charger never learnt when it sent its StartTransaction again to the other gateway', async () => {
    // Arrange: the two gateways cut off from each other
    const [portA, portB] = await freePorts(2);
    const [toA, toB] = [await HalfOpenProxy.start(portA!), await HalfOpenProxy.start(portB!)];
    cleanups.push(
      () => toA.close(),
      () => toB.close(),
    );
    toA.cut();
    toB.cut();
    const a = await gateway('gw-a', portA!, toB.port);
    const b = await gateway('gw-b', portB!, toA.port);
    const request = { connectorId: 1, idTag: 'TAG-1', meterStart: 2_000, timestamp: iso(Date.now() - 600_000) };

    // Act: CP-1's StartTransaction reaches gw-a, which takes it, but the answer never reaches CP-1 (its frame goes
    // out raw, and CP-1 leaves before reading anything); CP-1 sends the same message to gw-b, charges and stops there
    const cp1 = await charger(a, 'CP-1');
    cp1.sendRaw(JSON.stringify([2, 'lost-start', 'StartTransaction', request]));
    await eventually('gw-a took the start', () => stored(a).length === 1, 10_000);
    await cp1.close({ force: true });
    const unlearnt = stored(a)[0]!.id;
    const cp1OnB = await charger(b, 'CP-1');
    const learnt = await start(cp1OnB, request.meterStart, Date.parse(request.timestamp));
    await stop(cp1OnB, learnt, 9_000, Date.now() - 60_000);
    toA.heal();
    toB.heal();

    // Assert: on both gateways the id CP-1 learnt holds the energy, the other is closed with none, nothing left open
    const expected = [
      { id: unlearnt, charger_id: 'CP-1', meter_start_wh: 2_000, meter_stop_wh: 2_000, energy_wh: 0 },
      { id: learnt, charger_id: 'CP-1', meter_start_wh: 2_000, meter_stop_wh: 9_000, energy_wh: 7_000 },
    ];
    const same = (gw: Gateway) => JSON.stringify(stored(gw)) === JSON.stringify(expected);
    await eventually('both stores close the duplicate start', () => same(a) && same(b), 30_000);
    expect(stored(a)).toEqual(expected);
    expect(stored(b)).toEqual(expected);
    expect(unlearnt).toBeLessThanOrEqual(NODE_ID_RANGE);
    const ended = (gw: Gateway, id: number) =>
      gw.events.of('sessionEnded').filter((event) => event.transactionId === id);
    expect(ended(a, unlearnt).map((event) => event.energyWh)).toEqual([0]);
    expect(ended(b, unlearnt)).toEqual([]);
    expect(ended(b, learnt).map((event) => event.energyWh)).toEqual([7_000]);
    await cp1OnB.close({ force: true });
  }, 90_000);
});
