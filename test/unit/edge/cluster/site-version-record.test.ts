import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_LEDGER_VALUE_BYTES } from '../../../../edge/cluster/leader-ledger';
import {
  decodeSiteVersion,
  encodeSiteVersion,
  MAX_SITE_PARTS,
  parseSiteVersionHead,
  type SiteVersionHead,
} from '../../../../edge/cluster/site-version-record';
import { MAX_SITE_BYTES, type SiteVersionInForce } from '../../../../edge/store/site-version-store';
import { AppError } from '../../../../shared/errors';
import { SiteSchema } from '../../../../shared/site/site-schema';

/** A site of `chargers` chargers on 100 circuits; `text` fills each charger's vendor and model (100 characters each). */
function version(chargers: number, text: (i: number) => string = () => 'Acme'): SiteVersionInForce {
  const circuits = [
    { id: 'main', parent: null, fuseAmps: 4000 },
    ...Array.from({ length: 100 }, (_, i) => ({ id: `sub-${i}`, parent: 'main', fuseAmps: 250 })),
  ];
  const site = SiteSchema.parse({
    $schemaVersion: 1,
    id: 'big-site',
    circuits,
    chargers: Array.from({ length: chargers }, (_, i) => ({
      id: `CHARGER-${String(i).padStart(5, '0')}`,
      circuit: `sub-${i % 100}`,
      phases: 3,
      maxAmps: 32,
      vendor: text(i),
      model: text(i + 1),
      connectors: [{ id: 1 }, { id: 2 }],
    })),
  });
  return { version: 7, author: 'admin', source: 'adoption', savedAt: 1_700_000_000_000, site, meters: [] };
}

const asParts = (parts: readonly string[]) => new Map(parts.map((part, i) => [i, part]));
/** 100 characters that do not compress. */
const noise = () => randomBytes(75).toString('base64');

function invalid(act: () => unknown, message: RegExp) {
  try {
    act();
  } catch (error) {
    expect(AppError.match(error, 'state.invalid')).toBe(true);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a state.invalid error');
}

describe('a site version as the cluster ledger keeps it', () => {
  it('should keep a 1,000-charger site in one part and read it back whole', () => {
    // Arrange
    const thousand = version(1_000);

    // Act
    const { head, parts } = encodeSiteVersion(thousand);

    // Assert
    expect(head).toMatchObject({ version: 7, author: 'admin', source: 'adoption', parts: 1 });
    expect(head.bytes).toBeGreaterThan(150_000);
    expect(Buffer.byteLength(parts[0] ?? '')).toBeLessThan(MAX_LEDGER_VALUE_BYTES);
    expect(decodeSiteVersion(parseSiteVersionHead(JSON.stringify(head)), asParts(parts))).toEqual(thousand);
  });

  it('should cut a site that does not compress into parts within the ledger’s value limit, up to the largest a node stores', () => {
    // Arrange: about 3.8 MB of JSON that gzip hardly shrinks
    const large = version(10_000, noise);
    expect(JSON.stringify({ site: large.site, meters: [] }).length).toBeLessThanOrEqual(MAX_SITE_BYTES);

    // Act
    const { head, parts } = encodeSiteVersion(large);

    // Assert
    expect(parts.length).toBe(head.parts);
    expect(parts.length).toBeGreaterThan(30);
    expect(parts.length).toBeLessThanOrEqual(MAX_SITE_PARTS);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(MAX_LEDGER_VALUE_BYTES);
    expect(decodeSiteVersion(head, asParts(parts))).toEqual(large);
  });

  it('should refuse a site larger than a node stores', () => {
    expect(() => encodeSiteVersion(version(15_000, noise))).toThrow(/too large for the ledger/);
  });

  it('should refuse a record with a part missing, a part of another write, or a payload that is no site, before returning anything', () => {
    // Arrange
    const large = encodeSiteVersion(version(2_000, noise));
    const other = encodeSiteVersion(version(2_000, noise));
    const notASite = JSON.stringify({ site: { id: 'x' }, meters: [] });
    const notASiteHead: SiteVersionHead = {
      ...large.head,
      parts: 1,
      bytes: Buffer.byteLength(notASite),
      sha256: createHash('sha256').update(notASite).digest('hex'),
    };

    // Act / Assert
    const missing = asParts(large.parts);
    missing.delete(1);
    invalid(() => decodeSiteVersion(large.head, missing), /site version 7 lacks part 1 of/);
    const mixed = asParts(large.parts);
    mixed.set(0, other.parts[0] ?? '');
    invalid(() => decodeSiteVersion(large.head, mixed), /does not (match its digest|unpack)/);
    invalid(
      () => decodeSiteVersion(notASiteHead, asParts([gzipSync(notASite).toString('base64')])),
      /is not a site with its meters/,
    );
    invalid(() => decodeSiteVersion(large.head, asParts(['x'.repeat(70_000)])), /longer than a part can be/);
  });

  it.each([
    ['not JSON', 'site'],
    ['an unknown field', JSON.stringify({ ...encodeSiteVersion(version(1)).head, extra: 1 })],
    ['too many parts', JSON.stringify({ ...encodeSiteVersion(version(1)).head, parts: MAX_SITE_PARTS + 1 })],
    ['version 0', JSON.stringify({ ...encodeSiteVersion(version(1)).head, version: 0 })],
    ['a source no site version has', JSON.stringify({ ...encodeSiteVersion(version(1)).head, source: 'ledger' })],
  ])('should refuse a head with %s', (_case, text) => {
    invalid(() => parseSiteVersionHead(text), /is not a site version's head/);
  });
});
