import { describe, expect, it } from 'vitest';
import { Allocator } from '../../../../shared/allocation/allocator';
import { siteTopology } from '../../../../shared/allocation/site-topology';
import { deferPauses, holdPauses, reservingMinimum } from '../../../../edge/control/pause-confirmation';
import { charging, policyOf, siteOf, snapshotOf, T0 } from '../../../support/allocation-builders';

describe('pause confirmation', () => {
  // Three cars share 48 A; a rise not yet confirmed leaves 16 A: two of them fit at their 6 A minimum, not three.
  const site = siteOf(
    63,
    ['CP1', 'CP2', 'CP3'].map((id) => ({ id, phases: 3 as const, maxAmps: 32 })),
  );
  const topology = siteTopology(site);
  const cars = charging({ 'CP1/1': { energyWh: 3_000 }, 'CP2/1': { energyWh: 2_000 }, 'CP3/1': { energyWh: 1_000 } });
  const before = policyOf(48, { hysteresis: { stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 0 } });
  const after = policyOf(16, { hysteresis: { stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 0 } });

  it('should cut the others to what is left beside the cars held at their minimum, holding any car that then pauses too', () => {
    // Arrange
    const allocator = new Allocator();
    const previous = allocator.allocate(snapshotOf(site, cars), before, T0);
    const now = T0 + 60_000;
    const allocation = allocator.allocate(snapshotOf(site, cars, previous), after, now);
    const unpaused = allocator.allocate(snapshotOf(site, cars, previous), before, now);

    // Act
    const { allocation: beside, held } = holdPauses(allocation, unpaused, previous, (pinned) =>
      allocator.allocate(reservingMinimum(snapshotOf(site, cars, previous), pinned, topology), after, now),
    );
    const deferred = deferPauses(beside, unpaused, previous, held, topology, now);

    // Assert: the allocation alone pauses one car and gives the others 8 A each (22 A in force with the held one)
    expect(allocation.connectors.map((c) => c.amps).sort()).toEqual([0, 8, 8]);
    expect(deferred.connectors.map((c) => [c.activity, c.amps])).toEqual([
      ['active', 6],
      ['active', 6],
      ['active', 6],
    ]);
    expect(deferred.connectors.filter((c) => c.boundBy === 'pauseUnconfirmed')).toHaveLength(held.length);
  });

  it('should hold nobody when the cars it pauses would be paused without the rise too', () => {
    // Arrange: the lower budget is in force before and after
    const allocator = new Allocator();
    const previous = allocator.allocate(snapshotOf(site, cars), before, T0);
    const now = T0 + 60_000;
    const allocation = allocator.allocate(snapshotOf(site, cars, previous), after, now);

    // Act
    const { held } = holdPauses(allocation, allocation, previous, () => {
      throw new Error('nothing to hold');
    });

    // Assert
    expect(held).toEqual([]);
  });
});
