import { describe, expect, it } from 'vitest';
import type { LeaseRequest } from '../../../../edge/control/control-ports';
import { capLease, limitInForce, type LimitInputs } from '../../../../edge/upstream/composite-limit';

describe('limitInForce: min(site, CSMS, charger maximum)', () => {
  it.each<[string, Omit<LimitInputs, 'minAmps'>, number]>([
    ['the CSMS below the site', { siteAmps: 20, csmsAmps: 12, chargerMaxAmps: 32 }, 12],
    ['the CSMS above the site: it cannot raise the charger', { siteAmps: 20, csmsAmps: 32, chargerMaxAmps: 32 }, 20],
    ['no CSMS limit', { siteAmps: 20, csmsAmps: undefined, chargerMaxAmps: 32 }, 20],
    ['the charger maximum lowest', { siteAmps: 20, csmsAmps: 25, chargerMaxAmps: 16 }, 16],
    ['a paused site', { siteAmps: 0, csmsAmps: 32, chargerMaxAmps: undefined }, 0],
    ['a CSMS limit below what a car can use: a pause', { siteAmps: 20, csmsAmps: 5.9, chargerMaxAmps: 32 }, 0],
    ['a CSMS limit at the car minimum', { siteAmps: 20, csmsAmps: 6, chargerMaxAmps: 32 }, 6],
  ])('should give %s', (_name, inputs, amps) => {
    expect(limitInForce({ ...inputs, minAmps: 6 })).toBe(amps);
  });
});

describe('capLease', () => {
  const lease: LeaseRequest = { connectorId: 1, transactionId: 7, amps: 20, phases: 3, minAmps: 6, leaseSeconds: 60 };

  it('should leave a lease alone without a ceiling, and cap amps and phases with one', () => {
    expect(capLease(lease, undefined)).toBe(lease);
    expect(capLease(lease, { amps: 10, phases: 1 })).toEqual({ ...lease, amps: 10, phases: 1 });
    expect(capLease(lease, { amps: 40, phases: 3 })).toEqual(lease);
  });
});
