import { describe, expect, it } from 'vitest';
import {
  applyShadowUpdate,
  parseShadowPayload,
  shadowDelete,
  shadowGet,
  type ShadowSlot,
} from '../../../../cloud/local/shadow/shadow-rules';

const T0 = 1_700_000_000;

/** Applies updates in order, failing the test on a rejection. */
function updated(...requests: unknown[]): ShadowSlot {
  let slot: ShadowSlot;
  requests.forEach((request, i) => {
    const outcome = applyShadowUpdate(slot, request, T0 + i);
    if (!outcome.ok) throw new Error(`update ${i} rejected: ${outcome.rejected.message}`);
    slot = { document: outcome.document };
  });
  return slot;
}

describe('shadow update', () => {
  it('should create a shadow at version 1 and answer with the request state, its metadata and the client token', () => {
    const outcome = applyShadowUpdate(
      undefined,
      { state: { desired: { version: 3, policy: '{}' } }, clientToken: 'c-1' },
      T0,
    );

    expect(outcome).toMatchObject({
      ok: true,
      document: {
        state: { desired: { version: 3, policy: '{}' } },
        metadata: { desired: { version: { timestamp: T0 }, policy: { timestamp: T0 } } },
        version: 1,
      },
      accepted: {
        state: { desired: { version: 3, policy: '{}' } },
        metadata: { desired: { version: { timestamp: T0 } } },
        version: 1,
        timestamp: T0,
        clientToken: 'c-1',
      },
    });
  });

  it('should add one to the version per accepted update', () => {
    const slot = updated(
      { state: { desired: { a: 1 } } },
      { state: { reported: { a: 1 } } },
      { state: { desired: { a: 2 } } },
    );

    expect(slot && 'document' in slot && slot.document.version).toBe(3);
  });

  it('should publish a delta with only the desired keys that differ from reported, with their metadata', () => {
    const slot = updated({ state: { reported: { a: 1, nested: { x: 1, y: 2 }, list: [1, 2] } } });

    const outcome = applyShadowUpdate(
      slot,
      { state: { desired: { a: 1, b: 'new', nested: { x: 1, y: 3 }, list: [1, 2] } }, clientToken: 'c-2' },
      T0 + 10,
    );

    expect(outcome.ok && outcome.delta).toEqual({
      version: 2,
      timestamp: T0 + 10,
      state: { b: 'new', nested: { y: 3 } },
      metadata: { b: { timestamp: T0 + 10 }, nested: { y: { timestamp: T0 + 10 } } },
      clientToken: 'c-2',
    });
  });

  it('should publish no delta once reported matches desired', () => {
    const slot = updated({ state: { desired: { version: 3 } } });

    const outcome = applyShadowUpdate(slot, { state: { reported: { version: 3, status: 'applied' } } }, T0 + 5);

    expect(outcome.ok && outcome.delta).toBeUndefined();
  });

  it('should compare arrays as whole values in the delta', () => {
    const slot = updated({ state: { reported: { list: [1, 2, 3] } } });

    const outcome = applyShadowUpdate(slot, { state: { desired: { list: [1, 2] } } }, T0 + 1);

    expect(outcome.ok && outcome.delta).toMatchObject({ state: { list: [1, 2] } });
  });

  it('should send previous and current documents, without previous for a new shadow', () => {
    const first = applyShadowUpdate(undefined, { state: { desired: { a: 1 } } }, T0);
    const second = applyShadowUpdate(
      first.ok ? { document: first.document } : undefined,
      { state: { reported: { a: 1 } }, clientToken: 'tok' },
      T0 + 1,
    );

    expect(first.ok && first.documents).toEqual({
      current: { state: { desired: { a: 1 } }, metadata: { desired: { a: { timestamp: T0 } } }, version: 1 },
      timestamp: T0,
    });
    expect(second.ok && second.documents).toEqual({
      previous: { state: { desired: { a: 1 } }, metadata: { desired: { a: { timestamp: T0 } } }, version: 1 },
      current: {
        state: { desired: { a: 1 }, reported: { a: 1 } },
        metadata: { desired: { a: { timestamp: T0 } }, reported: { a: { timestamp: T0 + 1 } } },
        version: 2,
      },
      timestamp: T0 + 1,
      clientToken: 'tok',
    });
  });

  it('should merge objects key by key, replace scalars and arrays, and keep metadata of untouched keys', () => {
    const slot = updated(
      { state: { desired: { a: 1, o: { x: 1, y: [1] } } } },
      { state: { desired: { o: { y: [2] }, b: true } } },
    );

    expect(slot && 'document' in slot && slot.document).toMatchObject({
      state: { desired: { a: 1, o: { x: 1, y: [2] }, b: true } },
      metadata: {
        desired: {
          a: { timestamp: T0 },
          o: { x: { timestamp: T0 }, y: { timestamp: T0 + 1 } },
          b: { timestamp: T0 + 1 },
        },
      },
    });
  });

  it('should remove a key set to null, with its metadata, and drop objects left empty', () => {
    const slot = updated(
      { state: { desired: { a: 1, o: { x: 1 } } } },
      { state: { desired: { a: null, o: { x: null } } } },
      { state: { reported: { r: 1 } } },
    );

    expect(slot && 'document' in slot && slot.document).toEqual({
      state: { reported: { r: 1 } },
      metadata: { reported: { r: { timestamp: T0 + 2 } } },
      version: 3,
    });
  });

  it('should remove a whole section set to null', () => {
    const slot = updated({ state: { desired: { a: 1 }, reported: { a: 0 } } }, { state: { desired: null } });

    expect(slot && 'document' in slot && slot.document.state).toEqual({ reported: { a: 0 } });
  });

  it('should accept an update that names the current version, and reject a stale one with 409', () => {
    const slot = updated({ state: { desired: { a: 1 } } }, { state: { desired: { a: 2 } } });

    const current = applyShadowUpdate(slot, { state: { desired: { a: 3 } }, version: 2 }, T0 + 9);
    const stale = applyShadowUpdate(slot, { state: { desired: { a: 3 } }, version: 1, clientToken: 'old' }, T0 + 9);

    expect(current).toMatchObject({ ok: true, document: { version: 3 } });
    expect(stale).toEqual({
      ok: false,
      rejected: { code: 409, message: 'Version conflict', clientToken: 'old', timestamp: T0 + 9 },
    });
  });

  it.each([
    ['a non-object request', [1, 2], 400, 'Invalid JSON'],
    ['no state', { desired: { a: 1 } }, 400, 'Missing required node: state'],
    ['a scalar state', { state: 'x' }, 400, 'State node must be an object'],
    ['an array desired node', { state: { desired: [1] } }, 400, 'Desired node must be an object'],
    ['a scalar reported node', { state: { reported: 1 } }, 400, 'Reported node must be an object'],
    ['an unknown state node', { state: { delta: { a: 1 } } }, 400, 'State contains an invalid node'],
    ['a negative version', { state: { desired: {} }, version: -1 }, 400, 'Invalid version'],
    ['a fractional version', { state: { desired: {} }, version: 1.5 }, 400, 'Invalid version'],
    [
      'a client token over 64 bytes',
      { state: { desired: {} }, clientToken: 'x'.repeat(65) },
      400,
      'Invalid clientToken',
    ],
    [
      '7 levels of nesting',
      { state: { desired: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } } },
      400,
      'JSON contains too many levels of nesting; maximum is 6',
    ],
    [
      'a desired section over 8 KiB',
      { state: { desired: { policy: 'x'.repeat(8 * 1024) } } },
      413,
      'The payload exceeds the maximum size allowed',
    ],
  ])('should reject %s', (_name, request, code, message) => {
    const outcome = applyShadowUpdate(undefined, request, T0);

    expect(outcome).toMatchObject({ ok: false, rejected: { code, message, timestamp: T0 } });
  });
});

describe('shadow payloads', () => {
  it.each([
    ['JSON', '{"state":{}}', { ok: true, request: { state: {} } }],
    ['an empty payload', '', { ok: true, request: {} }],
    ['broken JSON', '{"state":', { ok: false, rejected: { code: 400, message: 'Invalid JSON', timestamp: T0 } }],
  ])('should read %s', (_name, text, expected) => {
    expect(parseShadowPayload(new TextEncoder().encode(text), T0)).toEqual(expected);
  });

  it('should answer 415 to bytes that are not UTF-8', () => {
    expect(parseShadowPayload(new Uint8Array([0xff, 0xfe]), T0)).toMatchObject({ ok: false, rejected: { code: 415 } });
  });
});

describe('shadow get and delete', () => {
  it('should answer 404 for a shadow that does not exist', () => {
    expect(shadowGet(undefined, 'policy', { clientToken: 'g' }, T0)).toEqual({
      ok: false,
      rejected: { code: 404, message: "No shadow exists with name: 'policy'", clientToken: 'g', timestamp: T0 },
    });
  });

  it('should return the whole document with its delta', () => {
    const slot = updated({ state: { desired: { a: 2, b: 1 } } }, { state: { reported: { a: 1, b: 1 } } });

    expect(shadowGet(slot, 'policy', {}, T0 + 5)).toEqual({
      ok: true,
      accepted: {
        state: { desired: { a: 2, b: 1 }, reported: { a: 1, b: 1 }, delta: { a: 2 } },
        metadata: {
          desired: { a: { timestamp: T0 }, b: { timestamp: T0 } },
          reported: { a: { timestamp: T0 + 1 }, b: { timestamp: T0 + 1 } },
        },
        version: 2,
        timestamp: T0 + 5,
      },
    });
  });

  it('should delete a shadow, answer 404 afterwards, and continue its version when it is created again', () => {
    const slot = updated({ state: { desired: { a: 1 } } }, { state: { desired: { a: 2 } } });

    const deleted = shadowDelete(slot, 'policy', {}, T0 + 3);
    const after = deleted.ok ? deleted.slot : undefined;
    const recreated = applyShadowUpdate(after, { state: { desired: { a: 3 } } }, T0 + 4);

    expect(deleted).toMatchObject({ ok: true, accepted: { version: 2, timestamp: T0 + 3 } });
    expect(shadowGet(after, 'policy', {}, T0 + 3)).toMatchObject({ ok: false, rejected: { code: 404 } });
    expect(shadowDelete(after, 'policy', {}, T0 + 3)).toMatchObject({ ok: false, rejected: { code: 404 } });
    expect(recreated).toMatchObject({ ok: true, document: { version: 3 } });
    expect(recreated.ok && 'previous' in recreated.documents).toBe(false);
  });
});
