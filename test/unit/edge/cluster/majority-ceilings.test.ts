import { describe, expect, it } from 'vitest';
import { MajorityCeilings } from '../../../../edge/cluster/majority-ceilings';

const SITE = ['CP-1', 'CP-2', 'CP-3'];
const FAIL_SAFE = { amps: 6, phases: 3 };
const HOLD_MS = 60_000;
/** Long enough that no check below is taken as a gap, except where a test says so. */
const MAX_CHECK_GAP_MS = 10 * HOLD_MS;

/** A node whose connected chargers (`state.connected`) have been connected long ago and answered a ping just now. */
function node(nodeId: string, site: readonly string[] = SITE) {
  const state = { connected: [] as string[], now: 0 };
  const ceilings = new MajorityCeilings({
    nodeId,
    staticOrder: ['gw-a', 'gw-b'],
    connectedChargers: () =>
      state.connected.map((chargerId) => ({ chargerId, openedAt: -HOLD_MS, answeredPingAt: state.now })),
    siteChargerIds: () => site,
    failSafeAmps: () => 6,
    counting: { heardWithinMs: 1_000, connectedForMs: 2_000 },
    holdMs: HOLD_MS,
    maxCheckGapMs: MAX_CHECK_GAP_MS,
    now: () => state.now,
    log: { info: () => undefined },
  });
  return {
    state,
    /** A recount, then an allocation round's ceiling. */
    ceiling: () => {
      ceilings.mayExceed();
      return ceilings.ceiling('CP-1', 1, 3);
    },
    /** An allocation round alone. */
    round: () => ceilings.ceiling('CP-1', 1, 3),
    /** What the dashboard reads. */
    status: () => ceilings.status(),
  };
}

describe('MajorityCeilings (the two-gateway rule as allocation ceilings)', () => {
  it('should report what its last check counted, the majority held and whether it may exceed, without counting', () => {
    // Arrange
    const b = node('gw-b');
    const unchecked = b.status();
    b.state.connected = ['CP-1', 'CP-2'];
    b.state.now = 1_000;
    b.ceiling();
    const holding = b.status();
    b.state.now = 1_000 + HOLD_MS;
    b.state.connected = ['CP-1', 'CP-2', 'CP-3'];

    // Act: a read between checks counts nothing
    const stillHolding = b.status();
    b.ceiling();
    const exceeding = b.status();

    // Assert
    expect(unchecked).toEqual({
      countedChargers: 0,
      siteChargers: 0,
      holdsMajority: false,
      mayExceedFailSafe: false,
      majoritySince: null,
      checkedAt: null,
    });
    expect(holding).toEqual({
      countedChargers: 2,
      siteChargers: 3,
      holdsMajority: true,
      mayExceedFailSafe: false,
      majoritySince: 1_000,
      checkedAt: 1_000,
    });
    expect(stillHolding).toEqual(holding);
    expect(exceeding).toEqual({ ...holding, countedChargers: 3, mayExceedFailSafe: true, checkedAt: 1_000 + HOLD_MS });
  });

  it('should hold every connector at its fail-safe until a strict majority has been held for a lease', () => {
    // Arrange
    const b = node('gw-b');
    b.state.connected = ['CP-1', 'CP-2'];

    // Act
    const atOnce = b.ceiling();
    b.state.now = HOLD_MS - 1;
    const justBefore = b.ceiling();
    b.state.now = HOLD_MS;
    const after = b.ceiling();

    // Assert
    expect([atOnce, justBefore, after]).toEqual([FAIL_SAFE, FAIL_SAFE, undefined]);
  });

  it('should cap at once when the majority is lost, and count the lease again from when it comes back', () => {
    // Arrange
    const b = node('gw-b');
    b.state.connected = ['CP-1', 'CP-2'];
    b.ceiling();
    b.state.now = HOLD_MS;

    // Act
    const withMajority = b.ceiling();
    b.state.connected = ['CP-1'];
    const lost = b.ceiling();
    b.state.connected = ['CP-1', 'CP-3'];
    b.state.now = HOLD_MS + 1;
    const regained = b.ceiling();
    b.state.now = 2 * HOLD_MS + 1;
    const heldAgain = b.ceiling();

    // Assert
    expect([withMajority, lost, regained, heldAgain]).toEqual([undefined, FAIL_SAFE, FAIL_SAFE, undefined]);
  });

  it('should give a tie to the first node of the static order only, and count only the chargers the site lists', () => {
    // Arrange
    const site = ['CP-1', 'CP-2'];
    const [a, b] = [node('gw-a', site), node('gw-b', site)];
    a.state.connected = ['CP-1', 'CP-9'];
    b.state.connected = ['CP-2', 'CP-8'];
    a.ceiling();
    b.ceiling();
    a.state.now = HOLD_MS;
    b.state.now = HOLD_MS;

    // Act
    const first = a.ceiling();
    const second = b.ceiling();

    // Assert
    expect([first, second]).toEqual([undefined, FAIL_SAFE]);
  });

  it('should count the hold again when two checks were further apart than the longest gap', () => {
    // Arrange
    const b = node('gw-b');
    b.state.connected = ['CP-1', 'CP-2'];
    b.ceiling();
    b.state.now = MAX_CHECK_GAP_MS;
    b.ceiling();

    // Act
    b.state.now = 2 * MAX_CHECK_GAP_MS + 1;
    const afterGap = b.ceiling();
    b.state.now += HOLD_MS;
    const heldAgain = b.ceiling();

    // Assert
    expect([afterGap, heldAgain]).toEqual([FAIL_SAFE, undefined]);
  });

  it('should answer every connector of a round alike, the round that finds the majority held as the next', () => {
    // Arrange: an allocation round asks for each connector in turn
    const b = node('gw-b');
    b.state.connected = ['CP-1', 'CP-2'];
    b.round();
    b.state.now = HOLD_MS;

    // Act
    const finding = SITE.map(() => b.round());
    const next = SITE.map(() => b.round());
    b.state.connected = ['CP-1'];
    const losing = SITE.map(() => b.round());

    // Assert
    expect(finding).toEqual([undefined, undefined, undefined]);
    expect(next).toEqual([undefined, undefined, undefined]);
    expect(losing).toEqual([FAIL_SAFE, FAIL_SAFE, FAIL_SAFE]);
  });
});
