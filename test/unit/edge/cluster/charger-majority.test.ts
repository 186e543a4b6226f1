import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countingBounds, countsTowardMajority, mayExceedFailSafe } from '../../../../edge/cluster/charger-majority';

const ORDER = ['gw-a', 'gw-b'];

describe('mayExceedFailSafe (the two-gateway rule)', () => {
  it.each([
    { nodeId: 'gw-a', connectedHere: 3, siteChargers: 5, expected: true },
    { nodeId: 'gw-b', connectedHere: 3, siteChargers: 5, expected: true },
    { nodeId: 'gw-b', connectedHere: 2, siteChargers: 5, expected: false },
    { nodeId: 'gw-a', connectedHere: 2, siteChargers: 4, expected: true },
    { nodeId: 'gw-b', connectedHere: 2, siteChargers: 4, expected: false },
    { nodeId: 'gw-a', connectedHere: 0, siteChargers: 0, expected: false },
    { nodeId: 'gw-a', connectedHere: 6, siteChargers: 5, expected: false },
  ])('should answer $expected for $nodeId with $connectedHere of $siteChargers chargers', (row) => {
    // Act
    const allowed = mayExceedFailSafe({ ...row, staticOrder: ORDER });

    // Assert
    expect(allowed).toBe(row.expected);
  });

  it('should never allow two nodes at once, whatever chargers connect where', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((nodes) =>
          fc.record({
            nodes: fc.constant(nodes),
            // Each charger is connected to one node, or to none (-1): a charger has one central system at a time.
            assignment: fc.array(fc.integer({ min: -1, max: nodes - 1 }), { maxLength: 60 }),
          }),
        ),
        ({ nodes, assignment }) => {
          // Arrange
          const order = Array.from({ length: nodes }, (_, i) => `gw-${i}`);

          // Act
          const allowed = order.filter((nodeId, i) =>
            mayExceedFailSafe({
              nodeId,
              staticOrder: order,
              connectedHere: assignment.filter((node) => node === i).length,
              siteChargers: assignment.length,
            }),
          );

          // Assert
          expect(allowed.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('should let the node holding every charger exceed the fail-safe', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.constantFrom(...ORDER), (chargers, nodeId) => {
        expect(mayExceedFailSafe({ nodeId, staticOrder: ORDER, connectedHere: chargers, siteChargers: chargers })).toBe(
          true,
        );
      }),
    );
  });
});

/**
 * One charger's connections in turn, each to node 0 or 1, as the charger holds them (from `start` until it gives up at
 * `end`, one at a time), and as each node sees them: opened a little after `start`, never closed (a half-open socket
 * stays in its table), pinged every interval from its opening, a ping answered only if it reached the charger before
 * `end`, its pong arriving later still.
 */
const connectionsArb = fc.array(
  fc.record({
    node: fc.constantFrom(0, 1),
    gapBefore: fc.integer({ min: 0, max: 10 }),
    length: fc.integer({ min: 0, max: 40 }),
    openDelay: fc.integer({ min: 0, max: 5 }),
    pingIn: fc.integer({ min: 0, max: 4 }),
    pongOut: fc.integer({ min: 0, max: 4 }),
  }),
  { minLength: 1, maxLength: 12 },
);

describe('countsTowardMajority (only chargers heard lately, connected long enough)', () => {
  const BOUNDS = { heardWithinMs: 2_000, connectedForMs: 4_000 };

  it.each([
    {
      openedAt: 0,
      answeredPingAt: 3_000,
      now: 4_000,
      expected: true,
      why: 'connected 4 s, a ping of 1 s ago answered',
    },
    { openedAt: 1, answeredPingAt: 3_000, now: 4_000, expected: false, why: 'connected just under 4 s' },
    { openedAt: 0, answeredPingAt: 1_999, now: 4_000, expected: false, why: 'its latest answered ping over 2 s old' },
    { openedAt: 0, answeredPingAt: undefined, now: 9_000, expected: false, why: 'no ping answered yet' },
  ])('should answer $expected: $why', ({ openedAt, answeredPingAt, now, expected }) => {
    // Act
    const counts = countsTowardMajority({ openedAt, answeredPingAt }, now, BOUNDS);

    // Assert
    expect(counts).toBe(expected);
  });

  it('should never let two nodes count one charger at the same instant, however it moves between them', () => {
    fc.assert(
      fc.property(
        connectionsArb,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (segments, pingInterval, maxCheckGap) => {
          // Arrange
          const bounds = countingBounds(pingInterval, maxCheckGap);
          let clock = 0;
          const connections = segments.map((segment) => {
            const start = clock + segment.gapBefore;
            const end = start + segment.length;
            clock = end;
            const openedAt = start + segment.openDelay;
            const pings = [];
            for (let p = openedAt + pingInterval; p < clock + 100; p += pingInterval)
              if (p + segment.pingIn < end) pings.push({ sentAt: p, arrives: p + segment.pingIn + segment.pongOut });
            return { node: segment.node, openedAt, pings };
          });
          const counted = (node: number, now: number) => {
            const current = connections.filter((c) => c.node === node && c.openedAt <= now).at(-1);
            if (current === undefined) return false;
            const answered = current.pings.filter((p) => p.arrives <= now).map((p) => p.sentAt);
            const answeredPingAt = answered.length === 0 ? undefined : Math.max(...answered);
            return countsTowardMajority({ openedAt: current.openedAt, answeredPingAt }, now, bounds);
          };

          // Act
          const both = [];
          for (let now = 0; now < clock + 100; now += 0.5) if (counted(0, now) && counted(1, now)) both.push(now);

          // Assert
          expect(both).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
