/**
 * The soak of issue 14, on virtual time: 32 chargers behind the agent, a day-long CSMS outage with 512 transactions,
 * an agent restart and two charger reboots during it, and a CSMS that loses some of its answers (it stored the call,
 * the agent never hears back and must send it again). Real loopback WebSockets and real ocpp-rpc on every side, the
 * real agent on a real SQLite file; only the clock of the agent's upstream links (timeouts, back-off, cache ages,
 * queue times) and the chargers' timestamps are virtual, so the day passes in seconds.
 *
 * Compared transaction by transaction, what the chargers made and what the CSMS stored (a CSMS keeps a message it
 * gets twice once, knowing it by its content): nothing lost, nothing twice, each charger's order kept; no provisional
 * id ever reaches the CSMS; every stop answered by the CSMS.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import type { UpstreamConfigInput } from '../../../edge/upstream/upstream-config';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { inChargerTerms, TRANSACTION_ACTIONS } from './support/csms-records';
import { QueueingChargePoint } from './support/queueing-charge-point';
import { type ReceivedCall, TsOcppCsms } from './support/ts-ocpp-csms';
import { VirtualTime } from './support/virtual-time';

const CHARGERS = 32;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OUTAGE_MS = 24 * HOUR;
const TRANSACTIONS_OFFLINE = 16;
/**
 * Virtual time that passes per pause of a few real milliseconds while something waits on it: small enough that a CSMS
 * answer has over a second of real time before the agent's 60 s call timeout gives it up.
 */
const STEP_MS = 250;

const virtual = new VirtualTime(Date.UTC(2026, 11, 1, 6), STEP_MS);
const clock = virtual.clock;

const upstream = (csms: TsOcppCsms): UpstreamConfigInput => ({
  csmsUrl: csms.url,
  unknownTags: 'accept',
  answerTimeoutMs: 5_000,
  callTimeoutMs: 60_000,
  reconnect: { initialDelayMs: 1_000, maxDelayMs: 60_000 },
});

const STEPS = ['StartTransaction', 'MeterValues', 'MeterValues', 'StopTransaction'] as const;

/** Step `step` of transaction `index` (its meter readings follow from the index); timestamps from the virtual clock. */
function body(step: number, index: number): Record<string, unknown> {
  const timestamp = new Date(virtual.now()).toISOString();
  const meterStart = index * 10_000;
  if (step === 0) return { connectorId: 1, idTag: `TAG-${(index % 4) + 1}`, meterStart, timestamp };
  if (step === 3) return { meterStop: meterStart + 7_000, timestamp, reason: 'EVDisconnected' };
  return meterValues(timestamp, meterStart + step * 3_000);
}

const meterValues = (timestamp: string, wh: number) => ({
  connectorId: 1,
  meterValue: [{ timestamp, sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' }] }],
});

describe('edge agent in front of a CSMS, a day-long outage soak', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  const chargers = Array.from(
    { length: CHARGERS },
    (_, i) => new QueueingChargePoint(`CP-${i + 1}`, passwordOf(`CP-${i + 1}`)),
  );
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(chargers.map((c) => c.disconnect()));
    for (const close of closers.splice(0).reverse()) await close();
    await edge?.close();
    await csms?.close();
    edge = csms = undefined;
  });

  const connectAll = (fixture: EdgeFixture) =>
    virtual.during(Promise.all(chargers.map((c) => c.connect(fixture.agent.ocppUrl))));
  const backlog = () => chargers.reduce((n, c) => n + (edge?.agent.upstream?.backlog(c.id).messages ?? 0), 0);
  /** One transaction on every charger at once, step by step, `gapMs` of virtual time after each step. */
  async function round(name: string, k: number, gapMs: number, between?: () => Promise<void>): Promise<void> {
    for (const [step, action] of STEPS.entries()) {
      await virtual.during(
        Promise.all(chargers.map((c, i) => c.make(`${c.id}/${name}`, action, body(step, k * CHARGERS + i)))),
      );
      virtual.advance(gapMs);
      await between?.();
    }
  }

  /** The agent process stops (its chargers lose their connections) and starts again on the same data and port. */
  async function restartAgent(): Promise<void> {
    const before = edge;
    if (before === undefined || csms === undefined) throw new Error('no agent to restart');
    await before.stopAgent();
    await Promise.all(chargers.map((c) => c.disconnect()));
    closers.push(() => before.close(true));
    edge = await startEdge({
      chargers: CHARGERS,
      upstream: upstream(csms),
      upstreamClock: clock,
      dataDir: before.dataDir,
      ocppPort: before.agent.ocppPort,
    });
    await connectAll(edge);
  }

  const allDelivered = () => backlog() === 0 && chargers.every((c) => c.pending === 0);

  it('should lose nothing, duplicate nothing, keep each charger’s order and send no provisional id over 24 h offline', async () => {
    // Arrange: the site online, one transaction per charger (the CSMS loses one start's and one stop's answer)
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: CHARGERS, upstream: upstream(csms), upstreamClock: clock });
    await connectAll(edge);
    await virtual.until('links up', () => chargers.every((c) => edge?.agent.upstream?.isOpen(c.id)), 5 * MINUTE);
    csms.lostAnswers.set('StartTransaction', 1).set('StopTransaction', 1);
    await round('online-before', 0, MINUTE);
    await virtual.until('online transactions delivered', allDelivered, HOUR);

    // Act 1: the CSMS goes away for 24 h of virtual time; 16 rounds of a transaction on every charger, 20 minutes
    // between their steps; the agent restarts after 8 h and two chargers reboot after 16 h (mid-transaction) and send
    // again what they had not noted as answered
    await csms.close();
    const outageStart = virtual.now();
    await virtual.until('links down', () => chargers.every((c) => !edge?.agent.upstream?.isOpen(c.id)), MINUTE);
    let restarted = false;
    let rebooted = false;
    const duringOutage = async () => {
      const elapsed = virtual.now() - outageStart;
      if (!restarted && elapsed >= 8 * HOUR) {
        restarted = true;
        await restartAgent();
      }
      if (!rebooted && elapsed >= 16 * HOUR && edge !== undefined) {
        rebooted = true;
        await virtual.during(chargers[6]!.reboot(edge.agent.ocppUrl, 3));
        await virtual.during(chargers[7]!.reboot(edge.agent.ocppUrl, 2));
      }
    };
    for (let k = 1; k <= TRANSACTIONS_OFFLINE; k++) await round(`offline-${k}`, k, 20 * MINUTE, duringOutage);
    const oldestQueued = Math.min(...chargers.map((c) => edge?.agent.upstream?.backlog(c.id).oldestAt ?? Infinity));
    virtual.advance(outageStart + OUTAGE_MS - virtual.now());
    const queuedAtReturn = backlog();

    // Act 2: the CSMS returns (and loses a few answers of each kind while the backlog drains), then a last
    // transaction per charger online
    csms = await csms.restart();
    csms.lostAnswers.set('StartTransaction', 5).set('MeterValues', 5).set('StopTransaction', 5);
    await virtual.until('backlog delivered', allDelivered, 6 * HOUR);
    csms.lostAnswers.set('StartTransaction', 2).set('MeterValues', 2).set('StopTransaction', 2);
    await round('online-after', TRANSACTIONS_OFFLINE + 1, MINUTE);
    await virtual.until('online transactions delivered', allDelivered, HOUR);

    // Assert: the day passed on the agent's clock, with every offline message queued at once
    expect([restarted, rebooted]).toEqual([true, true]);
    expect(virtual.now() - oldestQueued).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(queuedAtReturn).toBe(TRANSACTIONS_OFFLINE * CHARGERS * 4);
    expect(chargers.reduce((n, c) => n + c.made.length, 0) / 4).toBe((TRANSACTIONS_OFFLINE + 2) * CHARGERS);
    // Per charger, the CSMS stored exactly what the charger made, in the charger's order: 0 lost, 0 twice
    for (const charger of chargers) expect(inChargerTerms(csms, charger)).toEqual(charger.made);
    // The CSMS never saw a provisional id
    const idsSeen = csms.received.flatMap((r) =>
      typeof r.payload.transactionId === 'number' ? [r.payload.transactionId] : [],
    );
    expect(idsSeen.filter((id) => id <= 0)).toEqual([]);
    // Every lost answer was made good by sending the same call again; nothing the CSMS answered in time came again
    const count = (call: ReceivedCall) =>
      csms?.received.filter(
        (r) =>
          r.chargePointId === call.chargePointId &&
          r.action === call.action &&
          JSON.stringify(r.payload) === JSON.stringify(call.payload),
      ).length ?? 0;
    expect(csms.lost.filter((call) => TRANSACTION_ACTIONS.has(call.action))).toHaveLength(2 + 3 * 5 + 3 * 2);
    expect(csms.lost.filter((call) => TRANSACTION_ACTIONS.has(call.action) && count(call) < 2)).toEqual([]);
    const repeated = csms.received.filter((r) => TRANSACTION_ACTIONS.has(r.action) && count(r) > 1);
    const lostKeys = new Set(csms.lost.map((r) => `${r.chargePointId} ${r.action} ${JSON.stringify(r.payload)}`));
    expect(
      repeated.filter((r) => !lostKeys.has(`${r.chargePointId} ${r.action} ${JSON.stringify(r.payload)}`)),
    ).toEqual([]);
    // Every stop answered by the CSMS: nothing left in the agent's log, queued or set aside
    const db = new Database(path.join(edge.dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM upstream_log').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 150_000);
});
