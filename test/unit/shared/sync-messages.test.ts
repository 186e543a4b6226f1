import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../shared/policy/policy-schema';
import { desiredPolicyState, parseDesiredPolicyState, SiteBatchSchema } from '../../../shared/sync/sync-messages';
import { gatewayStreamTopic, parseGatewayStreamTopic } from '../../../shared/sync/sync-topics';
import { parseWith } from '../../../shared/validation';

const policy = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'kW', min: 6, max: 30 } });

describe('policy shadow state', () => {
  it('should carry a policy as a string and read it back validated', () => {
    const state = desiredPolicyState(7, policy);
    expect(typeof state.policy).toBe('string');
    expect(parseDesiredPolicyState(state)).toEqual({ ok: true, version: 7, policy });
  });

  it('should name every problem of a bad desired state with its path', () => {
    expect(parseDesiredPolicyState({ version: 0, policy: 3 })).toMatchObject({
      ok: false,
      issues: [{ path: 'version' }, { path: 'policy' }],
    });
    expect(parseDesiredPolicyState({ version: 2, policy: '{oops' })).toMatchObject({
      ok: false,
      version: 2,
      issues: [{ path: 'policy' }],
    });
    const invalid = parseDesiredPolicyState({
      version: 3,
      policy: JSON.stringify({ ...policy, budget: { unit: 'kW', min: 40, max: 30 } }),
    });
    expect(invalid).toMatchObject({
      ok: false,
      version: 3,
      issues: [{ path: 'policy.budget.min', message: 'min 40 is above max 30' }],
    });
  });

  it('should ignore other keys in the desired state, which a shadow keeps until written null (found by the shadow fuzz)', () => {
    expect(parseDesiredPolicyState({ ...desiredPolicyState(8, policy), written: { by: 'someone else' } })).toEqual({
      ok: true,
      version: 8,
      policy,
    });
  });
});

describe('gateway topics and batches', () => {
  it('should build and parse stream topics keyed by thing name, refusing others', () => {
    expect(gatewayStreamTopic('amp-site-1-ab12', 'events')).toBe('ampshare/gateways/amp-site-1-ab12/events');
    expect(parseGatewayStreamTopic(gatewayStreamTopic('amp-site-1-ab12', 'events'))).toEqual({
      thingName: 'amp-site-1-ab12',
      stream: 'events',
    });
    expect(parseGatewayStreamTopic('ampshare/gateways/amp-site-1-ab12/secrets')).toBeUndefined();
    expect(parseGatewayStreamTopic('ampshare/gateways/a b/events')).toBeUndefined();
    expect(parseGatewayStreamTopic('ampshare/gateways/+/events')).toBeUndefined();
    expect(parseGatewayStreamTopic('ampshare/sites/site-1/events')).toBeUndefined();
  });

  it('should accept a batch of messages and reject a message of the wrong shape with its path', () => {
    const message = {
      messageId: '01JD000000000001',
      siteId: 'site-1',
      stream: 'events',
      at: 1,
      body: { kind: 'meter.lost', severity: 'warning', message: 'no reading for 10 s' },
    };
    expect(parseWith(SiteBatchSchema, { v: 1, messages: [message] }).ok).toBe(true);
    const bad = parseWith(SiteBatchSchema, {
      v: 1,
      messages: [{ ...message, body: { ...message.body, severity: 'loud' } }],
    });
    expect(bad).toMatchObject({ ok: false, issues: [{ path: 'messages[0].body.severity' }] });
  });
});
