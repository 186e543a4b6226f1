import { describe, expect, it } from 'vitest';
import { CeilingSite, type CeiledSite } from '../../../../edge/control/ceiling-site';
import type { ConnectorCeiling } from '../../../../edge/control/control-ports';
import { SiteSchema, type Site } from '../../../../shared/site/site-schema';

const SITE: Site = SiteSchema.parse({
  $schemaVersion: 1,
  id: 's',
  circuits: [{ id: 'main', parent: null, fuseAmps: 63 }],
  chargers: [
    { id: 'A', circuit: 'main', phases: 3, maxAmps: 32 },
    { id: 'B', circuit: 'main', phases: 3, maxAmps: 32, connectors: [{ id: 1, maxAmps: 16 }] },
  ],
});

/** Ceilings in amps on the car's phases, or with the phases the CSMS limits the car to. */
function siteUnder(ceilings: Record<string, number | ConnectorCeiling>) {
  const asked: [string, number, number][] = [];
  const site = new CeilingSite({
    ceiling: (chargerId, connectorId, phases) => {
      asked.push([chargerId, connectorId, phases]);
      const ceiling = ceilings[`${chargerId}/${connectorId}`];
      return typeof ceiling === 'number' ? { amps: ceiling, phases } : ceiling;
    },
  });
  return { site, asked };
}

const maxOf = ({ site }: CeiledSite, chargerId: string) =>
  site.chargers.find((c) => c.id === chargerId)?.connectors[0]?.maxAmps;

describe('CeilingSite', () => {
  it("should lower a capped connector's maximum, pause one capped below its minimum, and leave the rest", () => {
    expect(
      maxOf(
        siteUnder({ 'A/1': 8 }).site.of(SITE, () => undefined),
        'A',
      ),
    ).toBe(8);
    expect(
      maxOf(
        siteUnder({ 'A/1': 4 }).site.of(SITE, () => undefined),
        'A',
      ),
    ).toBe(0);
    // A ceiling above the connector's own maximum changes nothing
    expect(siteUnder({ 'B/1': 20 }).site.of(SITE, () => undefined).site).toBe(SITE);
  });

  it("should ask with the car's phases, else the charger's", () => {
    const { site, asked } = siteUnder({});
    site.of(SITE, (chargerId) => (chargerId === 'A' ? 1 : undefined));
    expect(asked).toEqual([
      ['A', 1, 1],
      ['B', 1, 3],
    ]);
  });

  it('should hand out the same site while the ceilings stay the same, so the allocator keeps its caches', () => {
    const ceilings: Record<string, number> = { 'A/1': 8 };
    const { site } = siteUnder(ceilings);
    const first = site.of(SITE, () => undefined).site;
    expect(site.of(SITE, () => undefined).site).toBe(first);
    ceilings['A/1'] = 10;
    expect(
      maxOf(
        site.of(SITE, () => undefined),
        'A',
      ),
    ).toBe(10);
  });

  it('should tell the phases a ceiling limits a car to, only where that is fewer than it charges on', () => {
    const { site } = siteUnder({ 'A/1': { amps: 16, phases: 1 }, 'B/1': { amps: 10, phases: 3 } });

    const ceiled = site.of(SITE, () => undefined);

    expect([...ceiled.phases]).toEqual([['A/1', 1]]);
    expect(maxOf(ceiled, 'A')).toBe(16);
  });
});
