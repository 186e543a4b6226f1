import { describe, expect, it } from 'vitest';
import { mayPublish, maySubscribe } from '../../../../cloud/local/gateway-topic-access';

const gateway = { thingName: 'amp-site-a-1', siteId: 'site-a' };

describe('gateway topic access', () => {
  it.each([
    ['ampshare/sites/site-a/telemetry', true],
    ['ampshare/sites/site-a/sessions', true],
    ['ampshare/sites/site-a/events', true],
    ['ampshare/sites/site-a/commands/result', true],
    ['$aws/things/amp-site-a-1/shadow/name/policy/update', true],
    ['$aws/things/amp-site-a-1/shadow/name/policy/get', true],
    ['ampshare/sites/site-b/telemetry', false],
    ['ampshare/sites/site-a/commands', false],
    ['ampshare/sites/site-a/other', false],
    ['$aws/things/amp-site-b-1/shadow/name/policy/update', false],
    ['$aws/things/amp-site-a-1/shadow/name/policy/update/accepted', false],
    ['$aws/things/amp-site-a-1/shadow/update', false],
  ])('should decide publishing to %s: %s', (topic, allowed) => {
    expect(mayPublish(gateway, topic)).toBe(allowed);
  });

  it.each([
    ['ampshare/sites/site-a/commands', true],
    ['ampshare/sites/site-a/#', true],
    ['$aws/things/amp-site-a-1/shadow/name/policy/update/delta', true],
    ['$aws/things/amp-site-a-1/shadow/name/+/get/+', true],
    ['ampshare/sites/site-b/commands', false],
    ['ampshare/sites/+/commands', false],
    ['ampshare/#', false],
    ['#', false],
    ['$aws/things/+/shadow/name/policy/update/delta', false],
    ['$aws/things/amp-site-a-10/shadow/name/policy/update/delta', false],
  ])('should decide subscribing to %s: %s', (filter, allowed) => {
    expect(maySubscribe(gateway, filter)).toBe(allowed);
  });
});
