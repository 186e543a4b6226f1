import { describe, expect, it } from 'vitest';
import type { LeaseOutcome, LeaseRequest, LeaseSender } from '../../../../edge/control/control-ports';
import { IdleHolds } from '../../../../edge/control/idle-holds';
import { ManualClock } from '../../../../sim/charger/sim-clock';

const LEASE_SECONDS = 120;

/** A sender whose hold answers a test decides; records every hold sent. */
function harness(answer: (chargerId: string) => LeaseOutcome['kind'] = () => 'accepted') {
  const clock = new ManualClock();
  const sent: { chargerId: string; holdSeconds: number; at: number }[] = [];
  const changes: string[] = [];
  const sender: LeaseSender = {
    sendLease: (_chargerId: string, _lease: LeaseRequest) => Promise.resolve({ kind: 'accepted' }),
    sendIdleHold: (chargerId, holdSeconds) => {
      sent.push({ chargerId, holdSeconds, at: clock.now() });
      return Promise.resolve({ kind: answer(chargerId) });
    },
    requestMeterValues: () => Promise.resolve(),
  };
  const holds = new IdleHolds(sender, clock, { leaseSeconds: LEASE_SECONDS }, (id, outcome) =>
    changes.push(`${id}:${outcome}`),
  );
  return { clock, holds, sent, changes };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('IdleHolds', () => {
  it('should send a hold of two leases and cover the charger once it is accepted', async () => {
    const { clock, holds, sent, changes } = harness();
    expect(holds.covers('CP-1', clock.now())).toBe(false);

    holds.renew(['CP-1']);
    await settle();

    expect(sent).toEqual([{ chargerId: 'CP-1', holdSeconds: 2 * LEASE_SECONDS, at: clock.now() }]);
    expect(holds.covers('CP-1', clock.now())).toBe(true);
    expect(changes).toEqual(['CP-1:covered']);
  });

  it('should renew every half lease, so a charger that answers stays covered for longer than any lease', async () => {
    const { clock, holds, sent } = harness();
    const start = clock.now();
    for (let t = 0; t <= 600; t += 5) {
      if (t > 0) clock.advance(5_000);
      holds.renew(['CP-1']);
      await settle();
      // Covered means: the hold outlasts a lease sent now, with a margin.
      expect(holds.covers('CP-1', clock.now())).toBe(true);
    }
    expect(sent.map((s) => (s.at - start) / 1000)).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600]);
  });

  it('should stop covering a charger whose renewals fail before its hold can end under a lease sent now', async () => {
    const { clock, holds } = harness();
    const start = clock.now();
    holds.renew(['CP-1']);
    await settle();

    // Act: the charger drops off and is renewed no more
    const ends = holds.coverEnds(['CP-1'], clock.now());

    // Assert: covered until its hold has 7/6 of a lease left, i.e. every lease sent until then ends before the hold
    expect(ends).toBe(start + (240 - 140) * 1000);
    expect(holds.covers('CP-1', start + 99_000)).toBe(true);
    expect(holds.covers('CP-1', start + 100_000)).toBe(true);
    expect(holds.covers('CP-1', start + 100_001)).toBe(false);
  });

  it('should leave a charger that refuses the hold uncovered and ask it no more until it reconnects', async () => {
    const { clock, holds, sent, changes } = harness(() => 'rejected');
    holds.renew(['CP-1']);
    await settle();
    clock.advance(300_000);
    holds.renew(['CP-1']);
    await settle();

    expect(sent).toHaveLength(1);
    expect(holds.covers('CP-1', clock.now())).toBe(false);
    expect(changes).toEqual(['CP-1:refused']);

    holds.connected('CP-1');
    holds.renew(['CP-1']);
    await settle();
    expect(sent).toHaveLength(2);
  });

  it('should keep a hold in force across a reconnect, and say whether one holds at an instant', async () => {
    let answer: LeaseOutcome['kind'] = 'accepted';
    const { clock, holds } = harness(() => answer);
    const start = clock.now();
    holds.renew(['CP-1']);
    await settle();

    answer = 'timeout';
    holds.connected('CP-1');
    holds.renew(['CP-1']);
    await settle();

    expect(holds.covers('CP-1', clock.now())).toBe(true);
    expect(holds.holdsAt('CP-1', start + 239_000)).toBe(true);
    expect(holds.holdsAt('CP-1', start + 240_000)).toBe(false);
  });

  it('should shorten the cover by how far the charger clock runs ahead, and not cover one whose clock is minutes ahead', async () => {
    const { clock, holds } = harness();
    holds.renew(['CP-1', 'CP-2', 'CP-3']);
    await settle();
    const now = clock.now();
    // CP-1 reports times 30 s ahead of ours: its hold ends 30 s early at the charger. Fresh from a renewal the hold
    // has 240 s left by our clock, 210 s by the charger's; 140 s (7/6 lease) are needed.
    holds.noteClock('CP-1', { at: now + 30_000, receivedAt: now, source: 'charger' });
    // A queued sample (an hour old by both clocks) says nothing against it.
    holds.noteClock('CP-1', { at: now - 3_600_000, receivedAt: now, source: 'charger' });
    holds.noteClock('CP-2', { at: now, receivedAt: now, source: 'receivedClockAhead' });
    expect(holds.covers('CP-1', now)).toBe(true);
    expect(holds.covers('CP-2', now)).toBe(false);
    expect(holds.covers('CP-3', now)).toBe(true);
    // 80 s on (no renewal): 160 s left by our clock, 130 s at CP-1: too short to outlast a lease sent now.
    clock.advance(80_000);
    expect(holds.covers('CP-3', clock.now())).toBe(true);
    expect(holds.covers('CP-1', clock.now())).toBe(false);
    // And a round must run when CP-1's cover ends, 30 s before CP-3's.
    expect(holds.coverEnds(['CP-1'], now)).toBe(now + 240_000 - 30_000 - 140_000);
  });
});
