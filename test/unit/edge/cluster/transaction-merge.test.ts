import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  joinRecords,
  sameRecord,
  sameStartRequest,
  type StartPart,
  unlearntOf,
  type StopPart,
  type TransactionRecord,
} from '../../../../edge/cluster/transaction-merge';

const start = (chargerId: string, receivedAt: number) => ({
  chargerId,
  connectorId: 1,
  idTag: 'TAG',
  startedAt: receivedAt,
  meterStartWh: 1_000,
  receivedAt,
  source: 'charger' as const,
});
const stop = (meterStopWh: number, receivedAt: number): StopPart => ({
  stoppedAt: receivedAt,
  meterStopWh,
  reason: 'Local',
  receivedAt,
  source: 'charger',
});

/** A node's records by transaction id, each part joined into what the node has. */
type Node = Map<number, TransactionRecord>;
function add(node: Node, record: TransactionRecord): void {
  const held = node.get(record.transactionId);
  node.set(record.transactionId, held === undefined ? record : joinRecords(held, record));
}
function same(a: Node, b: Node): boolean {
  return a.size === b.size && [...a].every(([id, record]) => sameRecord(record, b.get(id)));
}

/** A transaction as the chargers sent it: its start, its stop (maybe not yet), each sent to one node or to both. */
const transactionArb = fc.record({
  startAt: fc.constantFrom(0, 1),
  stop: fc.option(
    fc.record({
      at: fc.constantFrom(0, 1, 'both' as const),
      meterStopWh: fc.integer({ min: 1_000, max: 90_000 }),
      receivedAt: fc.integer({ min: 1, max: 50 }),
      // A stop sent again to the other node (its answer lost) arrives later.
      againAfterMs: fc.integer({ min: 0, max: 5 }),
    }),
    { nil: undefined },
  ),
});

describe('joining the two gateways records of one transaction', () => {
  it('should join a start on one node with the stop the other one took', () => {
    const joined = joinRecords(
      { transactionId: 5, start: start('CP-1', 1) },
      { transactionId: 5, stop: stop(4_000, 9) },
    );
    expect(joined).toEqual({ transactionId: 5, start: start('CP-1', 1), stop: stop(4_000, 9) });
  });

  it('should keep the stop received first when the charger sent it to both nodes', () => {
    const first = stop(4_000, 9);
    const again = { ...first, receivedAt: 12 };
    expect(joinRecords({ transactionId: 5, stop: again }, { transactionId: 5, stop: first }).stop).toEqual(first);
    expect(joinRecords({ transactionId: 5, stop: first }, { transactionId: 5, stop: again }).stop).toEqual(first);
  });

  it('should refuse to join two different transactions', () => {
    expect(() => joinRecords({ transactionId: 5 }, { transactionId: 6 })).toThrow(/cannot join/);
  });

  it('should leave both nodes with every transaction whole, whatever the split, the order and the repeats of the exchanges', () => {
    fc.assert(
      fc.property(
        fc.array(transactionArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 6 }),
        (transactions, exchanges) => {
          // Arrange: each node holds the parts the chargers sent it; the whole is every part
          const nodes: [Node, Node] = [new Map<number, TransactionRecord>(), new Map<number, TransactionRecord>()];
          const whole: Node = new Map<number, TransactionRecord>();
          transactions.forEach((transaction, index) => {
            const transactionId = index + 1;
            const startPart = { transactionId, start: start(`CP-${index % 4}`, 0) };
            add(nodes[transaction.startAt], startPart);
            add(whole, startPart);
            const sent = transaction.stop;
            if (sent === undefined) return;
            const first = { transactionId, stop: stop(sent.meterStopWh, sent.receivedAt) };
            const again = { transactionId, stop: stop(sent.meterStopWh, sent.receivedAt + sent.againAfterMs) };
            if (sent.at === 'both') {
              add(nodes[0], first);
              add(nodes[1], again);
            } else add(nodes[sent.at]!, first);
            add(whole, first);
          });

          // Act: one node sends the other everything it holds, in the drawn order, then each sends once more
          for (const from of [...exchanges, 0, 1]) {
            const to = nodes[1 - from]!;
            for (const record of [...nodes[from]!.values()].reverse()) add(to, record);
          }

          // Assert
          expect(same(nodes[0], whole)).toBe(true);
          expect(same(nodes[1], whole)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should be commutative, associative and idempotent over any parts of one transaction', () => {
    const partArb = fc.record(
      {
        transactionId: fc.constant(7),
        start: fc.integer({ min: 0, max: 3 }).map((at) => start(`CP-${at % 2}`, at)),
        stop: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([wh, at]) => stop(wh, at)),
      },
      { requiredKeys: ['transactionId'] },
    );
    fc.assert(
      fc.property(partArb, partArb, partArb, (a, b, c) => {
        expect(sameRecord(joinRecords(a, b), joinRecords(b, a))).toBe(true);
        expect(sameRecord(joinRecords(joinRecords(a, b), c), joinRecords(a, joinRecords(b, c)))).toBe(true);
        expect(sameRecord(joinRecords(a, a), a)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('a StartTransaction sent to both gateways', () => {
  const sent: StartPart = { ...start('CP-1', 5_000), startedAt: 4_000 };

  it.each<[string, Partial<StartPart>, boolean]>([
    ['the same message received later on the other gateway', { receivedAt: 9_000 }, true],
    ['another connector', { connectorId: 2 }, false],
    ['another id tag', { idTag: 'OTHER' }, false],
    ['another meter start', { meterStartWh: 1_001 }, false],
    ['another timestamp', { startedAt: 4_001 }, false],
    ['another charger', { chargerId: 'CP-2' }, false],
    ["a time that is the time of receipt (the charger's clock off)", { source: 'receivedClockBehind' }, false],
  ])('should match %s: %s', (_case, change, same) => {
    expect(sameStartRequest(sent, { ...sent, ...change })).toBe(same);
  });

  it('should take the start received first as the id the charger never learnt, the same whichever node asks', () => {
    const first = { transactionId: 1_000_000_005, start: { ...sent, receivedAt: 5_000 } };
    const again = { transactionId: 12, start: { ...sent, receivedAt: 9_000 } };
    expect(unlearntOf(first, again)).toBe(first);
    expect(unlearntOf(again, first)).toBe(first);
    const tie = { ...again, start: { ...again.start, receivedAt: 5_000 } };
    expect(unlearntOf(first, tie)).toBe(tie);
    expect(unlearntOf(tie, first)).toBe(tie);
  });
});
