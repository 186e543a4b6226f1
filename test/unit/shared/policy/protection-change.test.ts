import { describe, expect, it } from 'vitest';
import { PolicySchema, type PolicyInput } from '../../../../shared/policy/policy-schema';
import { protectionLowerings } from '../../../../shared/policy/protection-change';

/** The site from issue 12: 30 kW dynamic against a 63 A grid limit, closed loop on, a VIP tag. */
const RUNNING: PolicyInput = {
  $schemaVersion: 1,
  budget: { unit: 'kW', min: 0, max: 30 },
  control: {
    mode: 'dynamic',
    gridLimitAmps: 63,
    safetyMarginAmps: 2,
    staleMeter: { afterSeconds: 10, fallbackAmps: 16 },
  },
  closedLoop: { enabled: true },
  vip: { enabled: true, idTags: ['VIP-1'] },
  failSafe: { connectorAmps: 6 },
  phaseImbalance: { maxAmps: 16 },
};
const policy = (change: Partial<PolicyInput> = {}) => PolicySchema.parse({ ...RUNNING, ...change });
const dynamic = (change: object) => ({
  control: { ...(RUNNING.control as object), ...change } as PolicyInput['control'],
});

describe('protectionLowerings', () => {
  it('should find nothing when the policy does not change', () => {
    expect(protectionLowerings(policy(), policy())).toEqual([]);
  });

  it.each<[string, Partial<PolicyInput>, string, RegExp]>([
    ['dynamic to static', { control: { mode: 'static' } }, 'control.mode', /dynamic.*static/],
    ['a larger grid limit (fuse)', dynamic({ gridLimitAmps: 80 }), 'control.gridLimitAmps', /63 A.*80 A/],
    ['the grid limit removed', dynamic({ gridLimitAmps: undefined }), 'control.gridLimitAmps', /removed/],
    ['a smaller safety margin', dynamic({ safetyMarginAmps: 0 }), 'control.safetyMarginAmps', /2 A.*0 A/],
    [
      'a larger fallback while the meter is lost',
      dynamic({ staleMeter: { afterSeconds: 10, fallbackAmps: 32 } }),
      'control.staleMeter.fallbackAmps',
      /16 A.*32 A/,
    ],
    [
      'a stale meter trusted longer',
      dynamic({ staleMeter: { afterSeconds: 60, fallbackAmps: 16 } }),
      'control.staleMeter.afterSeconds',
      /10 s.*60 s/,
    ],
    ['a larger budget', { budget: { unit: 'kW', min: 0, max: 40 } }, 'budget.max', /30 kW.*40 kW/],
    ['a budget in another unit', { budget: { unit: 'A', min: 0, max: 32 } }, 'budget.unit', /kW.*A/],
    ['the fail-safe current raised', { failSafe: { connectorAmps: 16 } }, 'failSafe.connectorAmps', /6 A.*16 A/],
    ['the fail-safe current 0 raised', { failSafe: { connectorAmps: 6 } }, 'failSafe.connectorAmps', /0 A.*6 A/],
    ['closed loop off', { closedLoop: { enabled: false } }, 'closedLoop.enabled', /closed loop/i],
    ['measurements trusted longer', { measurementMaxAgeSeconds: 600 }, 'measurementMaxAgeSeconds', /60 s.*600 s/],
    ['the phase imbalance limit off', { phaseImbalance: { maxAmps: null } }, 'phaseImbalance.maxAmps', /off/],
    ['a larger phase imbalance', { phaseImbalance: { maxAmps: 20 } }, 'phaseImbalance.maxAmps', /16 A.*20 A/],
  ])('should flag %s', (name, change, path, reason) => {
    const before = name === 'the fail-safe current 0 raised' ? policy({ failSafe: { connectorAmps: 0 } }) : policy();
    const lowered = protectionLowerings(before, policy(change));
    expect(lowered.map((l) => l.path)).toContain(path);
    expect(lowered.find((l) => l.path === path)?.reason).toMatch(reason);
  });

  it.each<[string, Partial<PolicyInput>]>([
    ['static to dynamic', {}],
    ['a smaller budget', { budget: { unit: 'kW', min: 0, max: 20 } }],
    ['a lower fail-safe current', { failSafe: { connectorAmps: 0 } }],
    ['VIP off', { vip: { enabled: false } }],
    ['a tighter grid limit', dynamic({ gridLimitAmps: 50 })],
    ['closed loop tuned', { closedLoop: { enabled: true, thresholdAmps: 3 } }],
  ])('should not flag %s', (name, change) => {
    const before = name === 'static to dynamic' ? policy({ control: { mode: 'static' } }) : policy();
    expect(protectionLowerings(before, policy(change))).toEqual([]);
  });

  it('should list every lowering of one change, in a stable order', () => {
    const lowered = protectionLowerings(
      policy(),
      policy({
        control: { mode: 'static' },
        closedLoop: { enabled: false },
        failSafe: { connectorAmps: 16 },
        budget: { unit: 'kW', min: 0, max: 50 },
      }),
    );
    expect(lowered.map((l) => l.path)).toEqual([
      'control.mode',
      'budget.max',
      'failSafe.connectorAmps',
      'closedLoop.enabled',
    ]);
  });
});
