/**
 * The state half of AWS IoT's device shadow rules, as pure functions: merging a request into a section (null
 * removes a key, objects merge key by key, arrays and scalars replace), the metadata timestamps that follow every
 * written leaf, and the delta between desired and reported.
 */
import { jsonEqual } from '../../ingest/json-equal';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
/** Mirrors a section: a leaf (scalar or array) gets `{ timestamp }` (epoch seconds), an object gets an object. */
export interface MetadataObject {
  [key: string]: MetadataObject | { timestamp: number };
}

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Merges `patch` into `section`: null removes a key, objects merge recursively, anything else replaces; empty objects left by removals disappear. */
export function mergeSection(section: JsonObject | undefined, patch: JsonObject): JsonObject | undefined {
  const merged: JsonObject = { ...section };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
    } else if (isJsonObject(value)) {
      const before = merged[key];
      const inner = mergeSection(isJsonObject(before) ? before : undefined, value);
      if (inner === undefined) delete merged[key];
      else merged[key] = inner;
    } else {
      merged[key] = value;
    }
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** The metadata of the keys a patch writes (nulls included: the response tells when they were removed). */
export function patchMetadata(patch: JsonObject, timestamp: number): MetadataObject {
  const metadata: MetadataObject = {};
  for (const [key, value] of Object.entries(patch))
    metadata[key] = isJsonObject(value) ? patchMetadata(value, timestamp) : { timestamp };
  return metadata;
}

const isLeafMetadata = (value: unknown): value is { timestamp: number } =>
  isJsonObject(value) && typeof value.timestamp === 'number' && Object.keys(value).length === 1;

/** The stored metadata after a patch: follows the merged section's shape exactly (removed keys lose their metadata). */
export function mergeMetadata(
  metadata: MetadataObject | undefined,
  section: JsonObject | undefined,
  patch: JsonObject,
  timestamp: number,
): MetadataObject | undefined {
  if (section === undefined) return undefined;
  const merged: MetadataObject = {};
  for (const [key, value] of Object.entries(section)) {
    const written = Object.hasOwn(patch, key) ? patch[key] : undefined;
    const before = metadata?.[key];
    if (isJsonObject(value)) {
      const nested = isJsonObject(written)
        ? mergeMetadata(isLeafMetadata(before) ? undefined : before, value, written, timestamp)
        : (before as MetadataObject | undefined);
      merged[key] = nested ?? patchMetadata(value, timestamp);
    } else {
      merged[key] = written !== undefined || before === undefined ? { timestamp } : before;
    }
  }
  return merged;
}

/** Desired keys whose value differs from (or is missing in) reported; objects compared key by key, arrays as wholes. */
export function computeDelta(
  desired: JsonObject | undefined,
  reported: JsonObject | undefined,
): JsonObject | undefined {
  if (desired === undefined) return undefined;
  const delta: JsonObject = {};
  for (const [key, value] of Object.entries(desired)) {
    const other = reported?.[key];
    if (isJsonObject(value) && isJsonObject(other)) {
      const inner = computeDelta(value, other);
      if (inner !== undefined) delta[key] = inner;
    } else if (other === undefined || !jsonEqual(value, other)) {
      delta[key] = value;
    }
  }
  return Object.keys(delta).length > 0 ? delta : undefined;
}

/** The metadata entries of the delta's keys, taken from the desired metadata. */
export function deltaMetadata(delta: JsonObject, metadata: MetadataObject | undefined): MetadataObject {
  const out: MetadataObject = {};
  for (const [key, value] of Object.entries(delta)) {
    const entry = metadata?.[key];
    if (entry === undefined) continue;
    out[key] = isJsonObject(value) && !isLeafMetadata(entry) ? deltaMetadata(value, entry) : entry;
  }
  return out;
}

/** Nesting depth of a JSON value: a scalar is 0, `{a: 1}` is 1. */
export function nestingDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, nestingDepth(child)), 0);
}
