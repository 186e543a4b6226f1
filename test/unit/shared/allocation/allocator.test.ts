/** The allocator's caches against changed inputs (issue 11, item 7: pure by construction). */
import { describe, expect, it } from 'vitest';
import { Allocator } from '../../../../shared/allocation/allocator';
import type { SiteSnapshot } from '../../../../shared/allocation/allocation-types';
import type { Policy } from '../../../../shared/policy/policy-schema';
import type { Site } from '../../../../shared/site/site-schema';
import { ampsByRef, charging, policyOf, siteOf, snapshotOf, T0 } from '../../../support/allocation-builders';

describe('Allocator', () => {
  it('should not compile an in-place edit of a site, a policy or a snapshot', () => {
    // The assertions are the @ts-expect-error lines: `npm run typecheck` fails if any of these edits compiles.
    // Never called, so nothing is edited at run time.
    const editInPlace = (site: Site, policy: Policy, snapshot: SiteSnapshot) => {
      // @ts-expect-error a charger's limit is readonly
      site.chargers[0]!.maxAmps = 16;
      // @ts-expect-error a connector's cable limit is readonly
      site.chargers[0]!.connectors[0]!.maxAmps = 16;
      // @ts-expect-error the chargers are a readonly array
      site.chargers[1] = site.chargers[0]!;
      const fuse = site.circuits[0]!.fuseAmps;
      if (typeof fuse !== 'number') {
        // @ts-expect-error a per-phase fuse is a readonly tuple
        fuse[0] = 10;
      }
      // @ts-expect-error the budget is readonly
      policy.budget.max = 10;
      // @ts-expect-error a priority level's tags are a readonly array
      policy.priorityLevels[0]!.idTags[0] = 'TAG';
      // @ts-expect-error a session is readonly
      snapshot.connectors[0]!.session!.energyWh = 0;
      // @ts-expect-error a meter reading's phases are a readonly tuple
      snapshot.meters[0]!.amps[0] = 0;
    };
    expect(editInPlace).toBeTypeOf('function');
  });

  it('should honour a changed charger maxAmps on a new site object with the same allocator', () => {
    // Arrange: one allocator, as a control loop holds, first handed a site with a 32 A charger.
    const allocator = new Allocator();
    const site = siteOf(100, [{ id: 'CP1', phases: 3, maxAmps: 32 }]);
    const policy = policyOf(100);
    const cars = charging({ 'CP1/1': {} });
    const first = allocator.allocate(snapshotOf(site, cars), policy, T0);
    const lowered = { ...site, chargers: site.chargers.map((c) => ({ ...c, maxAmps: 16 })) };

    // Act
    const second = allocator.allocate(snapshotOf(lowered, cars, first), policy, T0 + 60_000);

    // Assert
    expect(ampsByRef(first)).toEqual({ 'CP1/1': 32 });
    expect(ampsByRef(second)).toEqual({ 'CP1/1': 16 });
  });

  it('should honour a changed priority level on a new policy object with the same allocator', () => {
    // Arrange: two cars sharing 20 A; the new policy puts CP2's tag on a higher level.
    const allocator = new Allocator();
    const site = siteOf(20, [
      { id: 'CP1', phases: 3, maxAmps: 32 },
      { id: 'CP2', phases: 3, maxAmps: 32 },
    ]);
    const cars = charging({ 'CP1/1': {}, 'CP2/1': { idTag: 'FLEET' } });
    const policy = policyOf(20, { distribution: 'priority' });
    const first = allocator.allocate(snapshotOf(site, cars), policy, T0);
    const prioritised = { ...policy, priorityLevels: [{ level: 5, idTags: ['FLEET'], connectors: [] }] };

    // Act
    const second = allocator.allocate(snapshotOf(site, cars), prioritised, T0);

    // Assert
    expect(ampsByRef(first)).toEqual({ 'CP1/1': 10, 'CP2/1': 10 });
    expect(ampsByRef(second)).toEqual({ 'CP1/1': 6, 'CP2/1': 14 });
  });
});
