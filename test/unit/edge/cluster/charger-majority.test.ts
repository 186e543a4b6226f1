import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayExceedFailSafe } from '../../../../edge/cluster/charger-majority';

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
