import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConnectorRefSchema,
  formatConnectorRef,
  parseConnectorRef,
  siteConnectorRefs,
} from '../../../../shared/site/connector-ref';
import { ConnectorSchema, IdSchema, SiteSchema } from '../../../../shared/site/site-schema';

const ID_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-'];
/** Every charger id IdSchema accepts, and every connector id ConnectorSchema accepts. */
const chargerIds = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 48 });
const connectorIds = fc.integer({ min: 1, max: 99 });

describe('connector references', () => {
  it('should format a charger id and a connector id as "<chargerId>/<connectorId>"', () => {
    expect(formatConnectorRef('CP-1', 2)).toBe('CP-1/2');
  });

  it.each([
    ['CP-1/1', { chargerId: 'CP-1', connectorId: 1 }],
    ['a.b_c:d-e/99', { chargerId: 'a.b_c:d-e', connectorId: 99 }],
  ])('should parse %s', (ref, address) => {
    expect(parseConnectorRef(ref)).toEqual(address);
    expect(ConnectorRefSchema.safeParse(ref).success).toBe(true);
  });

  it.each([
    ['no connector', 'CP-1'],
    ['an empty charger id', '/1'],
    ['connector 0', 'CP-1/0'],
    ['a leading zero (a second spelling of connector 1)', 'CP-1/01'],
    ['connector 100', 'CP-1/100'],
    ['a space', 'CP 1/1'],
    ['a charger id with a slash', 'site/CP-1/1'],
    ['a trailing slash', 'CP-1/1/'],
    ['a charger id of 49 characters', `${'x'.repeat(49)}/1`],
  ])('should refuse %s, in the schema and in parse alike', (_what, ref) => {
    expect(parseConnectorRef(ref)).toBeUndefined();
    expect(ConnectorRefSchema.safeParse(ref).success).toBe(false);
  });

  it('should round-trip format and parse for every charger and connector id the site model allows', () => {
    fc.assert(
      fc.property(chargerIds, connectorIds, (chargerId, connectorId) => {
        expect(IdSchema.safeParse(chargerId).success && ConnectorSchema.shape.id.safeParse(connectorId).success).toBe(
          true,
        );
        const ref = formatConnectorRef(chargerId, connectorId);
        expect(ConnectorRefSchema.safeParse(ref).success).toBe(true);
        const address = parseConnectorRef(ref);
        expect(address).toEqual({ chargerId, connectorId });
        expect(formatConnectorRef(address!.chargerId, address!.connectorId)).toBe(ref);
      }),
    );
  });

  it('should refuse every reference whose charger id contains a slash, as the schema does', () => {
    fc.assert(
      fc.property(chargerIds, chargerIds, connectorIds, (left, right, connectorId) => {
        const ref = formatConnectorRef(`${left}/${right}`, connectorId);
        expect(ConnectorRefSchema.safeParse(ref).success).toBe(false);
        expect(parseConnectorRef(ref)).toBeUndefined();
      }),
    );
  });

  it('should agree with the schema on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ID_CHARS, '/', ' ', '0'), maxLength: 60 }), (ref) => {
        expect(parseConnectorRef(ref) !== undefined).toBe(ConnectorRefSchema.safeParse(ref).success);
      }),
    );
  });

  it("should list a site's connector references charger by charger", () => {
    const site = SiteSchema.parse({
      $schemaVersion: 1,
      id: 's',
      circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }],
      chargers: [
        { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32, connectors: [{ id: 1 }, { id: 2 }] },
        { id: 'CP-2', circuit: 'grid', phases: 1, maxAmps: 16 },
      ],
    });
    expect(siteConnectorRefs(site)).toEqual(['CP-1/1', 'CP-1/2', 'CP-2/1']);
  });
});
