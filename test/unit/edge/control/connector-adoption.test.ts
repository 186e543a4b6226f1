import { describe, expect, it } from 'vitest';
import { allocate } from '../../../../shared/allocation/allocator';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { decideAdoption } from '../../../../edge/control/adoption-rules';
import { SiteRuntime } from '../../../../edge/control/site-runtime';
import { testPolicy, testSite } from './control-harness';

const session = (transactionId: number, connectorId: number) => ({
  transactionId,
  chargerId: 'CP-1',
  connectorId,
  idTag: 'TAG',
  startedAt: 0,
  meterStartWh: 0,
  energyWh: 0,
});

describe('decideAdoption', () => {
  const site = SiteSchema.parse(
    testSite(1, {
      chargers: [{ id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32, connectors: [{ id: 1 }, { id: 3 }] }],
    }),
  );

  it.each([
    ['a listed connector', 'CP-1', 3, undefined, { kind: 'listed' }],
    ['a connector the charger has but the site file does not list', 'CP-1', 2, undefined, { kind: 'adopt' }],
    ['a connector within what the charger reports', 'CP-1', 4, 4, { kind: 'adopt' }],
    [
      'a connector beyond what the charger reports',
      'CP-1',
      4,
      2,
      {
        kind: 'refuse',
        reason: { reason: 'event.adoptionRefused.beyondReported', params: { connectorId: 4, reported: 2 } },
      },
    ],
    [
      'a connector beyond the hard cap',
      'CP-1',
      11,
      undefined,
      { kind: 'refuse', reason: { reason: 'event.adoptionRefused.tooMany', params: { connectorId: 11, max: 10 } } },
    ],
    [
      'a charger the site does not list',
      'CP-9',
      1,
      undefined,
      { kind: 'refuse', reason: { reason: 'event.adoptionRefused.notInSite', params: { chargerId: 'CP-9' } } },
    ],
  ] as const)('should decide on %s', (_, chargerId, connectorId, reported, expected) => {
    // Act
    const decision = decideAdoption(site, chargerId, connectorId, reported);

    // Assert
    expect(decision).toEqual(expected);
  });
});

describe('SiteRuntime.adopt', () => {
  it('should put a new site in force with the connector under its charger, leaving the old site as it was', () => {
    // Arrange
    const runtime = new SiteRuntime(SiteSchema.parse(testSite(1)));
    const before = runtime.site;

    // Act
    const adopted = runtime.adopt('CP-1', 2);

    // Assert
    expect(adopted).toBe(true);
    expect(runtime.site).not.toBe(before);
    expect(before.chargers[0]!.connectors).toEqual([{ id: 1 }]);
    expect(runtime.site.chargers[0]).toMatchObject({
      circuit: 'main',
      maxAmps: 32,
      connectors: [{ id: 1 }, { id: 2 }],
    });
    expect(SiteSchema.safeParse(runtime.site).success).toBe(true);
    expect(runtime.adoptedRefs()).toEqual(['CP-1/2']);
    expect(runtime.snapshot(undefined).connectors.map((c) => c.ref)).toEqual(['CP-1/1', 'CP-1/2']);
  });

  it('should refuse a connector already in the site and a charger it does not know', () => {
    // Arrange
    const runtime = new SiteRuntime(SiteSchema.parse(testSite(1)));

    // Act
    const outcomes = [runtime.adopt('CP-1', 1), runtime.adopt('CP-9', 2)];

    // Assert
    expect(outcomes).toEqual([false, false]);
    expect(runtime.adoptedRefs()).toEqual([]);
  });

  it('should let a session run on an adopted connector, counted under the charger maximum shared with its other connector', () => {
    // Arrange
    const runtime = new SiteRuntime(SiteSchema.parse(testSite(1)));
    runtime.setLink('CP-1', 'online');
    const unlisted = runtime.startSession(session(1, 2));
    runtime.adopt('CP-1', 2);

    // Act
    const started = [runtime.startSession(session(1, 2)), runtime.startSession(session(2, 1))];
    const allocation = allocate(
      runtime.snapshot(undefined),
      PolicySchema.parse(testPolicy({ budget: { unit: 'A', min: 6, max: 63 } })),
      0,
    );

    // Assert: a 32 A charger with two cars shares its 32 A between them, the budget left aside
    expect(unlisted).toBe(false);
    expect(started).toEqual([true, true]);
    expect(allocation.connectors.map((c) => [c.ref, c.amps])).toEqual([
      ['CP-1/1', 16],
      ['CP-1/2', 16],
    ]);
  });
});
