/**
 * The ledger's pruning (edge/cluster/ledger-pruning.ts) on a real etcd with a real leader and the agent's real SQLite
 * session store: over a long run of transactions (virtual time, five minutes a round) the ledger's transaction keys
 * stay bounded, every open transaction stays however old, and a new master elected right after a pass adopts every open
 * one and still answers a StartTransaction sent again with its id.
 */
import { describe, expect, it } from 'vitest';
import { LedgerEnergy } from '../../../edge/cluster/ledger-energy';
import { LEDGER_RETENTION_MS, pruneLedger } from '../../../edge/cluster/ledger-pruning';
import { LedgerTransactions } from '../../../edge/cluster/ledger-transactions';
import { adoptTransactions } from '../../../edge/cluster/transaction-adoption';
import type { ChargerInput } from '../../../edge/control/control-inputs';
import type { StartTransaction } from '../../../edge/ocpp/charge-point-messages';
import { SqliteSessionStore } from '../../../edge/store/session-store';
import { ledgerLab } from './support/ledger-lab';
import { type NodeSettings, type RecordedNode, siteSettings } from './support/recorded-node';

const ROUNDS = 12;
const PER_ROUND = 30;
const ROUND_MS = 5 * 60_000;
/** Keys per transaction: its start, its start request and (once stopped) its stop. */
const KEYS_PER_CLOSED = 3;

describe("the ledger's pruning", () => {
  const lab = ledgerLab();

  async function leader(nodeId: string, settings: NodeSettings): Promise<RecordedNode> {
    const node = lab.node(nodeId, settings);
    node.leadership.start();
    await node.electedTimes(1, 15_000);
    return node;
  }

  const sessionStore = () => new SqliteSessionStore(lab.database('ledger-pruning'));

  it('should keep the ledger bounded over a long run, and let a new master adopt every open transaction after a pass', async () => {
    // Arrange: gw-a leads; its store is its SQLite working copy, as the control loop keeps it
    const settings = siteSettings(lab.endpoints, 6);
    const a = await leader('gw-a', settings);
    let now = Date.now();
    const ledger = new LedgerTransactions(a.ledger, new LedgerEnergy(a.ledger, () => now));
    const store = sessionStore();
    const open: { id: number; chargerId: string; request: StartTransaction }[] = [];
    const keyCounts: number[] = [];
    let nextId = 1;

    // Act: each round 30 starts; every tenth stays open, every fifteenth is refused (Invalid), the rest stop
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let k = 0; k < PER_ROUND; k += 1) {
        const id = nextId++;
        const chargerId = `CP-${k}`;
        const status = id % 15 === 0 ? 'Invalid' : 'Accepted';
        const request = { connectorId: 1, idTag: 'TAG-1', meterStart: id * 10, timestamp: now };
        const at = { at: now, receivedAt: now, source: 'charger' as const };
        await ledger.started(
          {
            transactionId: id,
            chargerId,
            connectorId: 1,
            idTag: 'TAG-1',
            status,
            meterStartWh: id * 10,
            startedAt: at,
          },
          request,
        );
        if (status !== 'Accepted') continue;
        const session = {
          transactionId: id,
          chargerId,
          connectorId: 1,
          idTag: 'TAG-1',
          startedAt: now,
          meterStartWh: id * 10,
          energyWh: 0,
        };
        store.startSession(session, { receivedAt: now, source: 'charger' });
        if (id % 10 === 0) {
          open.push({ id, chargerId, request });
          continue;
        }
        await ledger.stopped({
          transactionId: id,
          chargerId,
          meterStopWh: id * 10 + 500,
          reason: 'Local',
          stoppedAt: at,
        });
        store.stopSession(
          { transactionId: id, stoppedAt: now, meterStopWh: id * 10 + 500, reason: 'Local' },
          { receivedAt: now, source: 'charger' },
        );
      }
      now += ROUND_MS;
      await pruneLedger(ledger, a.ledger, store, now);
      keyCounts.push(await countKeys(a));
    }
    // A new master right after a pass: gw-a resigns, gw-b is elected on the same ledger
    await a.close();
    const b = await leader('gw-b', settings);
    const onB = new LedgerTransactions(b.ledger, new LedgerEnergy(b.ledger, () => now));
    const adopted: ChargerInput[] = [];
    const count = adoptTransactions(
      await onB.read(),
      [],
      { control: { onChargerInput: (input) => adopted.push(input) }, history: sessionStore() },
      now,
    );

    // Assert: at most the open transactions and the last retention's closed ones (plus the round in hand)
    const written = ROUNDS * PER_ROUND;
    const retainedRounds = LEDGER_RETENTION_MS / ROUND_MS + 1;
    const bound = open.length * 2 + retainedRounds * PER_ROUND * KEYS_PER_CLOSED;
    expect(Math.max(...keyCounts)).toBeLessThanOrEqual(bound);
    expect(keyCounts.at(-1)).toBeLessThan(written);
    expect(count.started).toBe(open.length);
    const adoptedIds = adopted.map((input) => (input.type === 'transactionStarted' ? input.transactionId : -1));
    expect(adoptedIds.sort((x, y) => x - y)).toEqual(open.map((t) => t.id));
    const oldest = open[0];
    if (oldest === undefined) throw new Error('no open transaction');
    await expect(onB.startedBefore(oldest.chargerId, oldest.request)).resolves.toEqual({
      transactionId: oldest.id,
      status: 'Accepted',
    });
    expect(store.openSessions().map((s) => s.transactionId)).toEqual(open.map((t) => t.id));
  });
});

/** The ledger's keys under `transactions/` and `start-requests/`. */
async function countKeys(node: RecordedNode): Promise<number> {
  const prefix = node.settings.ledgerPrefix;
  const transactions = await node.client.getAll().prefix(`${prefix}transactions/`).count();
  const requests = await node.client.getAll().prefix(`${prefix}start-requests/`).count();
  return transactions + requests;
}
