/**
 * AWS IoT device shadow service rules as pure functions over one named shadow: what an `/update`, `/get` or
 * `/delete` request does to the document and which messages answer it. Time is passed in (epoch seconds).
 */
import { MAX_DESIRED_BYTES } from '../../../shared/sync/sync-messages';
import {
  computeDelta,
  deltaMetadata,
  isJsonObject,
  mergeMetadata,
  mergeSection,
  nestingDepth,
  patchMetadata,
  type JsonObject,
  type MetadataObject,
} from './shadow-state';

export interface ShadowDocument {
  readonly state: { readonly desired?: JsonObject; readonly reported?: JsonObject };
  readonly metadata: { readonly desired?: MetadataObject; readonly reported?: MetadataObject };
  readonly version: number;
}

/** What a shadow slot holds: a live document, or the version a deleted one reached (a new one continues from it). */
export type ShadowSlot = { readonly document: ShadowDocument } | { readonly deletedAtVersion: number } | undefined;

export interface ShadowErrorResponse {
  readonly code: 400 | 404 | 409 | 413 | 415;
  readonly message: string;
  readonly clientToken?: string;
  readonly timestamp: number;
}

export type ShadowUpdateOutcome =
  | {
      readonly ok: true;
      readonly document: ShadowDocument;
      readonly accepted: object;
      readonly delta?: object;
      readonly documents: object;
    }
  | { readonly ok: false; readonly rejected: ShadowErrorResponse };

/** AWS limits: the client token's bytes, the nesting of a section, the bytes of each of desired and reported. */
export const MAX_CLIENT_TOKEN_BYTES = 64;
export const MAX_NESTING_DEPTH = 6;
export const MAX_SECTION_BYTES = MAX_DESIRED_BYTES;

const bytesOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;
const tokenPart = (clientToken: string | undefined) => (clientToken !== undefined ? { clientToken } : {});

/** Reads a raw request payload as JSON (an empty payload is `{}`, as for `/get` and `/delete`). */
export function parseShadowPayload(
  payload: Uint8Array,
  timestamp: number,
): { ok: true; request: unknown } | { ok: false; rejected: ShadowErrorResponse } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return {
      ok: false,
      rejected: { code: 415, message: 'Unsupported documented encoding; supported encoding is UTF-8', timestamp },
    };
  }
  if (text.trim() === '') return { ok: true, request: {} };
  try {
    return { ok: true, request: JSON.parse(text) };
  } catch {
    return { ok: false, rejected: { code: 400, message: 'Invalid JSON', timestamp } };
  }
}

/** The client token of a request, or the 400 it earns. */
function readClientToken(request: JsonObject): { ok: true; clientToken?: string } | { ok: false; message: string } {
  const token = request.clientToken;
  if (token === undefined) return { ok: true };
  if (typeof token !== 'string' || new TextEncoder().encode(token).byteLength > MAX_CLIENT_TOKEN_BYTES)
    return { ok: false, message: 'Invalid clientToken' };
  return { ok: true, clientToken: token };
}

const currentVersion = (slot: ShadowSlot) =>
  slot === undefined ? 0 : 'document' in slot ? slot.document.version : slot.deletedAtVersion;

/** `/update`: validates the request, merges it, and returns the new document with the accepted, delta and documents messages. */
export function applyShadowUpdate(slot: ShadowSlot, request: unknown, timestamp: number): ShadowUpdateOutcome {
  const reject = (code: ShadowErrorResponse['code'], message: string, clientToken?: string): ShadowUpdateOutcome => ({
    ok: false,
    rejected: { code, message, ...tokenPart(clientToken), timestamp },
  });
  if (!isJsonObject(request)) return reject(400, 'Invalid JSON');
  const token = readClientToken(request);
  if (!token.ok) return reject(400, token.message);
  const { clientToken } = token;
  if (!('state' in request)) return reject(400, 'Missing required node: state', clientToken);
  const { state, version } = request;
  if (!isJsonObject(state)) return reject(400, 'State node must be an object', clientToken);
  if (Object.keys(state).some((key) => key !== 'desired' && key !== 'reported'))
    return reject(400, 'State contains an invalid node', clientToken);
  for (const section of ['desired', 'reported'] as const) {
    const value = state[section];
    if (value !== undefined && value !== null && !isJsonObject(value))
      return reject(400, `${section === 'desired' ? 'Desired' : 'Reported'} node must be an object`, clientToken);
    if (nestingDepth(value) > MAX_NESTING_DEPTH)
      return reject(400, `JSON contains too many levels of nesting; maximum is ${MAX_NESTING_DEPTH}`, clientToken);
  }
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 0))
    return reject(400, 'Invalid version', clientToken);
  const previous = slot !== undefined && 'document' in slot ? slot.document : undefined;
  if (version !== undefined && version !== currentVersion(slot)) return reject(409, 'Version conflict', clientToken);

  const next = nextDocument(previous, state, timestamp, currentVersion(slot) + 1);
  if (bytesOf(next.state.desired ?? {}) > MAX_SECTION_BYTES || bytesOf(next.state.reported ?? {}) > MAX_SECTION_BYTES) {
    return reject(413, 'The payload exceeds the maximum size allowed', clientToken);
  }

  const accepted = {
    state,
    metadata: requestMetadata(state, timestamp),
    version: next.version,
    timestamp,
    ...tokenPart(clientToken),
  };
  const delta = computeDelta(next.state.desired, next.state.reported);
  const documents = {
    ...(previous ? { previous: snapshot(previous) } : {}),
    current: snapshot(next),
    timestamp,
    ...tokenPart(clientToken),
  };
  return {
    ok: true,
    document: next,
    accepted,
    ...(delta
      ? {
          delta: {
            version: next.version,
            timestamp,
            state: delta,
            metadata: deltaMetadata(delta, next.metadata.desired),
            ...tokenPart(clientToken),
          },
        }
      : {}),
    documents,
  };
}

/** The document after a validated request state (each section absent, null or an object). */
function nextDocument(
  previous: ShadowDocument | undefined,
  state: JsonObject,
  timestamp: number,
  version: number,
): ShadowDocument {
  const sections = (['desired', 'reported'] as const).map((name) => {
    const patch = state[name];
    const before = { section: previous?.state[name], metadata: previous?.metadata[name] };
    if (patch === undefined) return before;
    if (!isJsonObject(patch)) return { section: undefined, metadata: undefined };
    const section = mergeSection(before.section, patch);
    return { section, metadata: mergeMetadata(before.metadata, section, patch, timestamp) };
  });
  const [desired, reported] = sections as [(typeof sections)[0], (typeof sections)[0]];
  return {
    state: {
      ...(desired.section ? { desired: desired.section } : {}),
      ...(reported.section ? { reported: reported.section } : {}),
    },
    metadata: {
      ...(desired.metadata ? { desired: desired.metadata } : {}),
      ...(reported.metadata ? { reported: reported.metadata } : {}),
    },
    version,
  };
}

function requestMetadata(state: JsonObject, timestamp: number): object {
  const metadata: Record<string, unknown> = {};
  for (const name of ['desired', 'reported'] as const) {
    const section = state[name];
    if (section === null) metadata[name] = { timestamp };
    else if (isJsonObject(section)) metadata[name] = patchMetadata(section, timestamp);
  }
  return metadata;
}

const snapshot = (document: ShadowDocument) => ({
  state: document.state,
  metadata: document.metadata,
  version: document.version,
});

/** `/get`: the whole document with its delta, or 404. */
export function shadowGet(
  slot: ShadowSlot,
  shadowName: string,
  request: unknown,
  timestamp: number,
): { ok: true; accepted: object } | { ok: false; rejected: ShadowErrorResponse } {
  const token = isJsonObject(request) ? readClientToken(request) : { ok: true as const };
  if (!token.ok) return { ok: false, rejected: { code: 400, message: token.message, timestamp } };
  const clientToken = token.clientToken;
  if (slot === undefined || !('document' in slot))
    return {
      ok: false,
      rejected: {
        code: 404,
        message: `No shadow exists with name: '${shadowName}'`,
        ...tokenPart(clientToken),
        timestamp,
      },
    };
  const { document } = slot;
  const delta = computeDelta(document.state.desired, document.state.reported);
  return {
    ok: true,
    accepted: {
      state: { ...document.state, ...(delta ? { delta } : {}) },
      metadata: document.metadata,
      version: document.version,
      timestamp,
      ...tokenPart(clientToken),
    },
  };
}

/** `/delete`: removes the document (its version is kept, so a new shadow continues it), or 404. */
export function shadowDelete(
  slot: ShadowSlot,
  shadowName: string,
  request: unknown,
  timestamp: number,
): { ok: true; slot: ShadowSlot; accepted: object } | { ok: false; rejected: ShadowErrorResponse } {
  const token = isJsonObject(request) ? readClientToken(request) : { ok: true as const };
  if (!token.ok) return { ok: false, rejected: { code: 400, message: token.message, timestamp } };
  const clientToken = token.clientToken;
  if (slot === undefined || !('document' in slot))
    return {
      ok: false,
      rejected: {
        code: 404,
        message: `No shadow exists with name: '${shadowName}'`,
        ...tokenPart(clientToken),
        timestamp,
      },
    };
  const version = slot.document.version;
  return { ok: true, slot: { deletedAtVersion: version }, accepted: { version, timestamp, ...tokenPart(clientToken) } };
}
