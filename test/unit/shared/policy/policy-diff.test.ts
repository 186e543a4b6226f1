import { describe, expect, it } from 'vitest';
import { policyChanges } from '../../../../shared/policy/policy-diff';
import { PolicySchema, type PolicyInput } from '../../../../shared/policy/policy-schema';

const base: PolicyInput = {
  $schemaVersion: 1,
  budget: { unit: 'kW', min: 0, max: 30 },
  control: { mode: 'dynamic', gridLimitAmps: 63 },
  closedLoop: { enabled: true },
  vip: { enabled: true, idTags: ['VIP-1'] },
};
const policy = (change: Partial<PolicyInput> = {}) => PolicySchema.parse({ ...base, ...change });

describe('policyChanges', () => {
  it('should find no change between equal policies', () => {
    expect(policyChanges(policy(), policy())).toEqual([]);
  });

  it('should list each changed field with its old and new value as text', () => {
    const changes = policyChanges(
      policy(),
      policy({
        budget: { unit: 'kW', min: 0, max: 40 },
        closedLoop: { enabled: false },
        vip: { enabled: true, idTags: ['VIP-1', 'VIP-2'] },
      }),
    );
    expect(changes).toEqual([
      { path: 'budget.max', before: '30', after: '40' },
      { path: 'closedLoop.enabled', before: 'on', after: 'off' },
      { path: 'vip.idTags', before: 'VIP-1', after: 'VIP-1, VIP-2' },
    ]);
  });

  it('should show fields that only one side has as "not set", and null as "none"', () => {
    const changes = policyChanges(policy({ phaseImbalance: { maxAmps: 12 } }), policy({ control: { mode: 'static' } }));
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: 'control.mode', before: 'dynamic', after: 'static' },
        { path: 'control.gridLimitAmps', before: '63', after: 'not set' },
        { path: 'phaseImbalance.maxAmps', before: '12', after: 'none' },
      ]),
    );
  });

  it('should compare schedules row by row, a new row as fields that were not set', () => {
    const schedule = { days: ['mon' as const], from: '17:00', to: '20:00', budgetMax: 20 };
    const changes = policyChanges(policy(), policy({ schedules: [schedule] }));
    expect(changes).toEqual([
      { path: 'schedules[0].days', before: 'not set', after: 'mon' },
      { path: 'schedules[0].from', before: 'not set', after: '17:00' },
      { path: 'schedules[0].to', before: 'not set', after: '20:00' },
      { path: 'schedules[0].budgetMax', before: 'not set', after: '20' },
    ]);
  });
});
