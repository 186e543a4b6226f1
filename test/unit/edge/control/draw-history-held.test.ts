import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DrawHistory } from '../../../../edge/control/draw-history';

const R = 5_000;

type Op =
  | { readonly kind: 'sample'; readonly at: number; readonly amps: number }
  | { readonly kind: 'limit'; readonly at: number; readonly amps: number; readonly confirmed: boolean }
  | { readonly kind: 'ask'; readonly at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('sample' as const),
    at: fc.integer({ min: 0, max: 60_000 }),
    amps: fc.integer({ min: 0, max: 32 }),
  }),
  fc.record({
    kind: fc.constant('limit' as const),
    at: fc.integer({ min: 0, max: 60_000 }),
    amps: fc.constantFrom(0, 6, 8, 10, 16, 32),
    confirmed: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('ask' as const), at: fc.integer({ min: 0, max: 60_000 }) }),
);

describe('DrawHistory.heldAt', () => {
  it('should answer what limitAt(t, false) and mayDraw(t) answer, at any instant, across any samples and limit changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        // Arrange: two histories fed alike; only one is asked through the cache
        const cached = new DrawHistory();
        const plain = new DrawHistory();
        const instants = new Set<number>();
        for (const o of ops) {
          if (o.kind !== 'ask') for (const d of [-1, 0, 1, R - 1, R, R + 1]) instants.add(o.at + d);
          // Act
          if (o.kind === 'sample') {
            cached.addSample(o.at, [o.amps, o.amps, 0]);
            plain.addSample(o.at, [o.amps, o.amps, 0]);
          } else if (o.kind === 'limit') {
            cached.addLimit(o.at, o.amps, o.confirmed);
            plain.addLimit(o.at, o.amps, o.confirmed);
          } else {
            // Assert: at the instant asked, then in order at every instant around a change (where a kept answer ends)
            const asked = [o.at, ...[...instants].filter((t) => t > o.at).sort((a, b) => a - b), o.at - 1];
            for (const t of asked) {
              expect(cached.heldAt(t, R)).toEqual({
                limitAmps: plain.limitAt(t, false),
                mayDrawAmps: plain.mayDraw(t, R),
              });
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('should compute again only after a sample, a limit change or an instant one of them takes effect or leaves the response time', () => {
    // Arrange: 16 A held since 0, a sample at 10 s, cut to 8 A answered at 20 s, the lease's expiry to 6 A at 60 s
    const h = new DrawHistory();
    h.addLimit(0, 16);
    h.addSample(10_000, [16, 16, 16]);
    h.addLimit(20_000, 8);
    h.addLimit(60_000, 6);
    const computed = vi.spyOn(h, 'mayDraw');

    // Act, Assert: every round between 21 s and the cut leaving the response time (25 s) gets one answer
    for (let t = 21_000; t < 25_000; t += 200) expect(h.heldAt(t, R)).toEqual({ limitAmps: 8, mayDrawAmps: 16 });
    expect(computed).toHaveBeenCalledTimes(1);
    // the cut left the response time: the car may draw only its limit now, until the expiry at 60 s
    for (let t = 25_000; t < 60_000; t += 200) expect(h.heldAt(t, R)).toEqual({ limitAmps: 8, mayDrawAmps: 8 });
    expect(computed).toHaveBeenCalledTimes(2);
    expect(h.heldAt(60_000, R)).toEqual({ limitAmps: 6, mayDrawAmps: 8 });
    expect(computed).toHaveBeenCalledTimes(3);
    // a new sample changes what is known: asked again at the same instant, it is computed again
    h.addSample(60_100, [6, 6, 6]);
    expect(h.heldAt(60_000, R)).toEqual({ limitAmps: 6, mayDrawAmps: 8 });
    expect(computed).toHaveBeenCalledTimes(4);
  });
});
