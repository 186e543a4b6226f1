import { afterEach, describe, expect, it, vi } from 'vitest';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { parseWith } from '../../../../shared/validation';

const site = (patch: object) => ({
  $schemaVersion: 1,
  id: 'site-1',
  circuits: [
    { id: 'grid', parent: null, fuseAmps: 63 },
    { id: 'board', parent: 'grid', fuseAmps: [32, 32, 25] },
  ],
  chargers: [{ id: 'CP-1', circuit: 'board', phases: 3, maxAmps: 32 }],
  ...patch,
});

describe('SiteSchema', () => {
  it('should accept a valid site and fill defaults', () => {
    const parsed = SiteSchema.parse(site({}));
    expect(parsed.nominalVolts).toBe(230);
    expect(parsed.chargers[0]).toMatchObject({
      phaseRotation: 'L1L2L3',
      minAmps: 6,
      priority: 0,
      vip: false,
      connectors: [{ id: 1 }],
    });
  });

  it.each([
    [
      'two roots',
      {
        circuits: [
          { id: 'a', parent: null, fuseAmps: 10 },
          { id: 'b', parent: null, fuseAmps: 10 },
        ],
        chargers: [],
      },
      'circuits',
    ],
    [
      'an unknown parent',
      {
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63 },
          { id: 'x', parent: 'nope', fuseAmps: 10 },
        ],
        chargers: [],
      },
      'circuits[1].parent',
    ],
    [
      'a cycle',
      {
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63 },
          { id: 'a', parent: 'b', fuseAmps: 10 },
          { id: 'b', parent: 'a', fuseAmps: 10 },
        ],
        chargers: [],
      },
      'circuits[1].parent',
    ],
    [
      'a duplicate circuit',
      {
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63 },
          { id: 'grid', parent: 'grid', fuseAmps: 10 },
        ],
        chargers: [],
      },
      'circuits[1].id',
    ],
    [
      'an unknown charger circuit',
      { chargers: [{ id: 'CP-1', circuit: 'attic', phases: 3, maxAmps: 32 }] },
      'chargers[0].circuit',
    ],
    [
      'a duplicate charger',
      {
        chargers: [
          { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 },
          { id: 'CP-1', circuit: 'grid', phases: 1, maxAmps: 16 },
        ],
      },
      'chargers[1].id',
    ],
    ['min above max', { chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 5 }] }, 'chargers[0].minAmps'],
    [
      'a cable below the minimum',
      { chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32, connectors: [{ id: 1, maxAmps: 4 }] }] },
      'chargers[0].connectors[0].minAmps',
    ],
    [
      'a duplicate connector',
      { chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32, connectors: [{ id: 1 }, { id: 1 }] }] },
      'chargers[0].connectors[1].id',
    ],
    ['two phases', { chargers: [{ id: 'CP-1', circuit: 'grid', phases: 2, maxAmps: 32 }] }, 'chargers[0].phases'],
    [
      'an unknown rotation',
      { chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32, phaseRotation: 'L1L1L2' }] },
      'chargers[0].phaseRotation',
    ],
    ['an identity with a space', { id: 'my site' }, 'id'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    [
      'negative fuse amps',
      { circuits: [{ id: 'grid', parent: null, fuseAmps: -63 }], chargers: [] },
      'circuits[0].fuseAmps',
    ],
  ])('should reject %s with its path', (_name, patch, path) => {
    const result = parseWith(SiteSchema, site(patch));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });

  describe('time zone', () => {
    afterEach(() => vi.restoreAllMocks());

    // A date formatter loads about 5 MB of ICU data into the agent for its whole life (docs/benchmarks.md).
    it.each(['UTC', 'Europe/Berlin', 'Asia/Tokyo'])(
      'should accept %s without building a date formatter',
      (timezone) => {
        const formatter = vi.spyOn(Intl, 'DateTimeFormat');
        expect(parseWith(SiteSchema, site({ timezone })).ok).toBe(true);
        expect(formatter).not.toHaveBeenCalled();
      },
    );

    it.each(['Etc/UTC', 'US/Eastern', 'Etc/GMT+1', 'europe/berlin'])(
      'should still accept %s, a zone a date formatter knows under another name',
      (timezone) => {
        expect(parseWith(SiteSchema, site({ timezone })).ok).toBe(true);
      },
    );

    it('should accept exactly the zones a date formatter accepts, among every zone the runtime lists', () => {
      const formatterAccepts = (timeZone: string) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone });
          return true;
        } catch {
          return false;
        }
      };
      for (const timezone of [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Mars/Olympus', '+01:00', 'Berlin']) {
        expect({ timezone, ok: parseWith(SiteSchema, site({ timezone })).ok }).toEqual({
          timezone,
          ok: formatterAccepts(timezone),
        });
      }
    });
  });
});
