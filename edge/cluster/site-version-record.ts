/**
 * A site version (the site and its meters, edge/store/site-version-store.ts) as the cluster's ledger keeps it: a head
 * (`site-version`: the version number, who saved it and how, and the payload's digest) and the payload in parts. The
 * payload is the JSON of the site and meters, gzipped and in base64, cut into parts of at most `PART_CHARS`, under the
 * ledger's 64 KiB per value. A 1,000-charger site is about 220 KB of JSON and one or a few parts (a site's entries
 * repeat: gzip takes it to a few tens of KB); the largest site a node stores (`MAX_SITE_BYTES`, 4 MiB of JSON) is at
 * most `MAX_SITE_PARTS` parts even if it did not compress at all. Decoding checks everything (every part, the digest,
 * the schemas) before it returns anything, so a reader never applies half a record.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { SiteSchema } from '../../shared/site/site-schema';
import { MeterConfigListSchema } from '../meter/meter-config';
import { MAX_SITE_BYTES, type SiteVersionInForce } from '../store/site-version-store';
import { MAX_LEDGER_VALUE_BYTES } from './leader-ledger';

/** Characters of base64 per part: below the ledger's value limit. */
export const PART_CHARS = 60_000;
/** 4 MiB of JSON that did not compress, in base64 (4/3) and parts, with room to spare. */
export const MAX_SITE_PARTS = Math.ceil(((MAX_SITE_BYTES + 64 * 1024) * 4) / 3 / PART_CHARS);

const SOURCES = ['file', 'edit', 'adoption', 'restore'] as const;

/** Digits of a version number in a ledger key. */
export const VERSION_DIGITS = 10;

export const SiteVersionHeadSchema = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .max(10 ** VERSION_DIGITS - 1),
    author: z.string().max(200),
    source: z.enum(SOURCES),
    savedAt: z.number().int(),
    /** How many parts the payload has, each at most `PART_CHARS`. */
    parts: z.number().int().min(1).max(MAX_SITE_PARTS),
    /** The JSON's bytes and SHA-256 (hex), checked after the parts are put together. */
    bytes: z.number().int().min(1).max(MAX_SITE_BYTES),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type SiteVersionHead = z.output<typeof SiteVersionHeadSchema>;

const PayloadSchema = z.object({ site: SiteSchema, meters: MeterConfigListSchema }).strict();

/** `version` as a head and its parts, in order; refuses (413) a version over what a node stores. */
export function encodeSiteVersion(version: SiteVersionInForce): {
  readonly head: SiteVersionHead;
  readonly parts: readonly string[];
} {
  const json = JSON.stringify({ site: version.site, meters: version.meters });
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_SITE_BYTES)
    throw new AppError('message.tooLarge', `the site is ${bytes} bytes: too large for the ledger`, [
      { path: 'site', message: 'too large' },
    ]);
  const packed = gzipSync(json).toString('base64');
  const parts: string[] = [];
  for (let at = 0; at < packed.length; at += PART_CHARS) parts.push(packed.slice(at, at + PART_CHARS));
  const head = SiteVersionHeadSchema.parse({
    version: version.version,
    author: version.author.slice(0, 200),
    source: version.source,
    savedAt: version.savedAt,
    parts: parts.length,
    bytes,
    sha256: sha256(json),
  });
  return { head, parts };
}

/** Reads a head's text; throws `state.invalid` on one that is not a site version's head. */
export function parseSiteVersionHead(text: string): SiteVersionHead {
  try {
    return SiteVersionHeadSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new AppError('state.invalid', "the ledger's site-version is not a site version's head", [], { cause: error });
  }
}

/**
 * The version `head` describes from its parts (by index); throws `state.invalid` on a part missing or too long, on a
 * payload that does not unpack to the head's digest, or on a site or meters the schemas refuse.
 */
export function decodeSiteVersion(head: SiteVersionHead, parts: ReadonlyMap<number, string>): SiteVersionInForce {
  const invalid = (why: string, cause?: unknown) =>
    new AppError('state.invalid', `the ledger's site version ${head.version} ${why}`, [], { cause });
  const texts: string[] = [];
  for (let index = 0; index < head.parts; index++) {
    const part = parts.get(index);
    if (part === undefined) throw invalid(`lacks part ${index} of ${head.parts}`);
    if (part.length > PART_CHARS || Buffer.byteLength(part) > MAX_LEDGER_VALUE_BYTES)
      throw invalid(`has a part ${index} longer than a part can be`);
    texts.push(part);
  }
  let json: string;
  try {
    json = gunzipSync(Buffer.from(texts.join(''), 'base64'), { maxOutputLength: MAX_SITE_BYTES }).toString('utf8');
  } catch (error) {
    throw invalid('does not unpack', error);
  }
  if (Buffer.byteLength(json) !== head.bytes || sha256(json) !== head.sha256)
    throw invalid('does not match its digest (parts of another write?)');
  let payload: z.output<typeof PayloadSchema>;
  try {
    payload = PayloadSchema.parse(JSON.parse(json));
  } catch (error) {
    throw invalid('is not a site with its meters', error);
  }
  return {
    version: head.version,
    author: head.author,
    source: head.source,
    savedAt: head.savedAt,
    site: payload.site,
    meters: payload.meters,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
