import { describe, expect, it } from 'vitest';
import type { AppliedLimit } from '../../../../edge/control/control-ports';
import { enforcedAmps, planDispatch, type LeaseTarget } from '../../../../edge/control/dispatch-plan';

const NOW = 1_000_000;
const target = (ref: string, amps: number, link: LeaseTarget['link'] = 'online'): LeaseTarget => ({
  ref,
  chargerId: ref.split('/')[0]!,
  connectorId: 1,
  transactionId: 7,
  amps,
  phases: 3,
  minAmps: 6,
  link,
  unleasedAmps: 6,
  failSafeAmps: 6,
});
const lease = (ref: string, amps: number, expiresAt = NOW + 60_000, transactionId = 7): AppliedLimit => ({
  chargerId: ref.split('/')[0]!,
  connectorId: 1,
  transactionId,
  amps,
  phases: 3,
  acceptedAt: NOW - 1000,
  expiresAt,
});

describe('planDispatch', () => {
  it('should put decreases first and increases second', () => {
    const accepted = new Map([
      ['A/1', lease('A/1', 16)],
      ['B/1', lease('B/1', 16)],
    ]);
    const plan = planDispatch(
      [target('A/1', 10), target('B/1', 20)],
      (r) => accepted.get(r),
      () => false,
      NOW,
      40_000,
    );
    expect(plan.first.map((o) => [o.ref, o.change, o.gating])).toEqual([['A/1', 'decrease', true]]);
    expect(plan.second.map((o) => [o.ref, o.change])).toEqual([['B/1', 'increase']]);
  });

  it.each([
    ['no lease yet and the target equals the fail-safe', undefined, 6, 'renewal'],
    ['a lease close to expiry', lease('A/1', 16, NOW + 10_000), 16, 'renewal'],
    ['an expired lease (the charger is back on its fail-safe)', lease('A/1', 16, NOW - 1), 16, 'increase'],
    ['a lease of an earlier transaction', lease('A/1', 16, NOW + 60_000, 3), 4, 'decrease'],
  ])('should handle %s', (_name, accepted, amps, change) => {
    const plan = planDispatch(
      [target('A/1', amps)],
      () => accepted,
      () => false,
      NOW,
      40_000,
    );
    expect([...plan.first, ...plan.second].map((o) => o.change)).toEqual([change]);
  });

  it('should leave a fresh lease at the same limit alone', () => {
    const plan = planDispatch(
      [target('A/1', 16)],
      () => lease('A/1', 16),
      () => false,
      NOW,
      40_000,
    );
    expect([...plan.first, ...plan.second]).toEqual([]);
  });

  it('should skip offline chargers and never raise an unresponsive one, only probe it', () => {
    const plan = planDispatch(
      [target('A/1', 20, 'offline'), target('B/1', 32, 'unresponsive')],
      () => lease('B/1', 16),
      () => false,
      NOW,
      40_000,
    );
    expect(plan.second).toEqual([]);
    expect(plan.first.map((o) => [o.ref, o.amps, o.change, o.gating])).toEqual([['B/1', 16, 'renewal', false]]);
  });

  it('should send again a lease unconfirmed since a reconnection, a cut below it gating the raises', () => {
    const unconfirmed = (ref: string) => ref === 'A/1';
    const accepted = (ref: string) => lease(ref, 16);
    const plan = planDispatch([target('A/1', 16), target('B/1', 16)], accepted, unconfirmed, NOW, 40_000);
    const cut = planDispatch([target('A/1', 10), target('B/1', 20)], accepted, unconfirmed, NOW, 40_000);
    expect([...plan.first, ...plan.second].map((o) => [o.ref, o.change])).toEqual([['A/1', 'renewal']]);
    expect(cut.first.map((o) => [o.ref, o.change, o.gating])).toEqual([['A/1', 'decrease', true]]);
  });

  it('should take an unconfirmed lease or what the charger holds without one, whichever is higher', () => {
    expect(enforcedAmps({ transactionId: 7, unleasedAmps: 6 }, lease('A/1', 0), NOW, true)).toBe(6);
    expect(enforcedAmps({ transactionId: 7, unleasedAmps: 6 }, lease('A/1', 20), NOW, true)).toBe(20);
    expect(enforcedAmps({ transactionId: 7, unleasedAmps: 6 }, lease('A/1', 0), NOW)).toBe(0);
  });

  it('should take what a charger holds without a lease when none is valid', () => {
    expect(enforcedAmps({ transactionId: 7, unleasedAmps: 32 }, undefined, NOW)).toBe(32);
    expect(enforcedAmps({ transactionId: 7, unleasedAmps: 6 }, lease('A/1', 20), NOW)).toBe(20);
  });
});
