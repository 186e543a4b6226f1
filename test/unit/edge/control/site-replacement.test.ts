/** Another site version put in force while the loop runs: at the start of the next round, whole, keeping what it keeps. */
import { afterEach, describe, expect, it } from 'vitest';
import { SiteSchema, type SiteInput } from '../../../../shared/site/site-schema';
import { SiteRuntime } from '../../../../edge/control/site-runtime';
import { plugIn, startHarness, testPolicy, testSite, type Harness } from './control-harness';

const parse = (site: SiteInput) => SiteSchema.parse(site);
const lastAllocation = (h: Harness) => h.log.of('allocation').at(-1)?.allocation;

describe('SiteRuntime.replaceSite', () => {
  it('should keep the link, status and session of what the new version keeps, add new chargers offline and drop the rest', () => {
    // Arrange
    const runtime = new SiteRuntime(parse(testSite(2)));
    runtime.setLink('CP-1', 'online');
    runtime.startSession({
      transactionId: 7,
      chargerId: 'CP-1',
      connectorId: 1,
      startedAt: 0,
      meterStartWh: 0,
      energyWh: 0,
      idTag: 'TAG',
    });
    runtime.startSession({
      transactionId: 8,
      chargerId: 'CP-2',
      connectorId: 1,
      startedAt: 0,
      meterStartWh: 0,
      energyWh: 0,
      idTag: 'TAG',
    });
    const next = testSite(2);
    next.chargers = [next.chargers[0]!, { id: 'CP-3', circuit: 'main', phases: 1, maxAmps: 16 }];

    // Act
    runtime.replaceSite(parse(next));

    // Assert
    expect(runtime.site.chargers.map((c) => c.id)).toEqual(['CP-1', 'CP-3']);
    expect([runtime.link('CP-1'), runtime.link('CP-3'), runtime.link('CP-2')]).toEqual([
      'online',
      'offline',
      undefined,
    ]);
    expect(runtime.session(7)?.chargerId).toBe('CP-1');
    expect(runtime.session(8)).toBeUndefined();
    expect(runtime.snapshot(undefined).connectors.map((c) => c.ref)).toEqual(['CP-1/1', 'CP-3/1']);
  });

  it('should keep a connector adopted at run time while its charger stays and the version does not list it', () => {
    const runtime = new SiteRuntime(parse(testSite(1)));
    runtime.adopt('CP-1', 2);

    runtime.replaceSite(parse(testSite(1, { circuits: [{ id: 'main', parent: null, fuseAmps: 40 }] })));

    expect(runtime.adoptedRefs()).toEqual(['CP-1/2']);
    expect(runtime.site.chargers[0]?.connectors.map((c) => c.id)).toEqual([1, 2]);
    expect(runtime.configuredSite.chargers[0]?.connectors.map((c) => c.id)).toEqual([1]);
    expect(runtime.site.circuits[0]?.fuseAmps).toBe(40);
  });
});

describe('LoadController.replaceSite', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('should put the version in force at the start of the next round, not before, and allocate under its fuse', async () => {
    // Arrange: two cars share a 63 A circuit under a 63 A budget
    h = startHarness(testSite(2), testPolicy({ budget: { unit: 'A', min: 6, max: 63 } }));
    plugIn(h, 'CP-1', 1);
    plugIn(h, 'CP-2', 2);
    await h.settle(1_000);
    expect(lastAllocation(h)?.connectors.map((a) => a.amps)).toEqual([31.5, 31.5]);

    // Act: the fuse goes down to 20 A and a third charger joins
    const next = testSite(3, { circuits: [{ id: 'main', parent: null, fuseAmps: 20 }] });
    let applied = false;
    const inForce = h.controller.replaceSite(parse(next)).then(() => (applied = true));
    const beforeRound = h.runtime.site.circuits[0]?.fuseAmps;
    await h.settle(1_000);
    await inForce;

    // Assert
    expect(beforeRound).toBe(63);
    expect(applied).toBe(true);
    const allocation = lastAllocation(h);
    expect(allocation?.connectors.map((a) => a.ref)).toEqual(['CP-1/1', 'CP-2/1', 'CP-3/1']);
    expect(allocation?.circuits.find((c) => c.id === 'main')?.limitAmps).toEqual([20, 20, 20]);
    expect(h.sender.sent.at(-1)?.lease.amps).toBeLessThanOrEqual(10);
  });
});
