import { describe, expect, it } from 'vitest';
import { gatewayMay } from '../../../../cloud/local/gateway-topic-access';

const OWN = 'amp-demo-site-a1';
const OTHER = 'amp-demo-site-b2';

describe('gateway topic access (the gateway IoT policy, evaluated locally)', () => {
  it.each([
    [`ampshare/gateways/${OWN}/telemetry`, true],
    [`ampshare/gateways/${OWN}/sessions`, true],
    [`ampshare/gateways/${OWN}/events`, true],
    [`ampshare/gateways/${OWN}/commands/result`, true],
    [`$aws/things/${OWN}/shadow/name/policy/update`, true],
    [`$aws/things/${OWN}/shadow/name/policy/get`, true],
    [`ampshare/gateways/${OTHER}/telemetry`, false],
    [`ampshare/gateways/${OWN}/commands`, false],
    [`ampshare/gateways/${OWN}/other`, false],
    ['ampshare/sites/demo-site/telemetry', false],
    [`$aws/things/${OTHER}/shadow/name/policy/update`, false],
    [`$aws/things/${OWN}/shadow/name/policy/delete`, false],
    [`$aws/things/${OWN}/shadow/name/other/update`, false],
    [`$aws/things/${OWN}/shadow/name/policy/update/accepted`, false],
    [`$aws/things/${OWN}/shadow/update`, false],
  ])('should decide publishing to %s: %s', (topic, allowed) => {
    expect(gatewayMay(OWN, 'publish', topic)).toBe(allowed);
  });

  it.each([
    [`ampshare/gateways/${OWN}/commands`, true],
    [`$aws/things/${OWN}/shadow/name/policy/update/delta`, true],
    [`$aws/things/${OWN}/shadow/name/policy/#`, true],
    [`$aws/things/${OWN}/shadow/name/policy/+/accepted`, true],
    [`ampshare/gateways/${OWN}/#`, false],
    [`ampshare/gateways/${OTHER}/commands`, false],
    ['ampshare/gateways/+/commands', false],
    ['ampshare/sites/demo-site/#', false],
    ['ampshare/#', false],
    ['#', false],
    ['$aws/things/+/shadow/name/policy/update/delta', false],
    [`$aws/things/${OWN}/shadow/name/+/update/delta`, false],
    [`$aws/things/${OWN}0/shadow/name/policy/update/delta`, false],
  ])('should decide subscribing to %s: %s', (filter, allowed) => {
    expect(gatewayMay(OWN, 'subscribe', filter)).toBe(allowed);
  });

  it.each([
    [`ampshare/gateways/${OWN}/commands`, true],
    [`$aws/things/${OWN}/shadow/name/policy/update/delta`, true],
    [`ampshare/gateways/${OTHER}/commands`, false],
    [`ampshare/gateways/${OWN}/telemetry`, false],
    [`$aws/things/${OTHER}/shadow/name/policy/update/delta`, false],
  ])('should decide receiving on %s: %s', (topic, allowed) => {
    expect(gatewayMay(OWN, 'receive', topic)).toBe(allowed);
  });
});
