import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { parseWith } from '../../../../shared/validation';

const base = { $schemaVersion: 1, budget: { unit: 'kW', min: 6, max: 30 } };

describe('PolicySchema', () => {
  it('should fill every default from a minimal policy', () => {
    const parsed = PolicySchema.parse(base);
    expect(parsed.distribution).toBe('equal');
    expect(parsed.control).toEqual({ mode: 'static' });
    expect(parsed.failSafe.connectorAmps).toBe(6);
    expect(parsed.rotation.intervalSeconds).toBe(900);
    expect(parsed.granularityAmps).toBe(0.1);
  });

  it('should accept a policy with every feature on', () => {
    const result = parseWith(PolicySchema, {
      ...base,
      distribution: 'priority',
      control: {
        mode: 'dynamic',
        gridLimitAmps: 63,
        safetyMarginAmps: 3,
        staleMeter: { afterSeconds: 5, fallbackAmps: 10 },
      },
      closedLoop: { enabled: true, thresholdAmps: 2, marginAmps: 1, settleSeconds: 10 },
      vip: { enabled: true, idTags: ['VIP-1'], connectors: ['CP-1/1'] },
      priorityLevels: [{ level: 2, idTags: ['FLEET'], connectors: ['CP-2/1'] }],
      phaseImbalance: { maxAmps: 20 },
      hysteresis: { stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 120 },
      schedules: [{ days: ['mon', 'fri'], from: '17:00', to: '20:00', budgetMax: 20 }],
    });
    expect(result.ok).toBe(true);
  });

  it.each([
    ['min above max', { budget: { unit: 'kW', min: 40, max: 30 } }, 'budget.min'],
    ['negative amps', { control: { mode: 'dynamic', safetyMarginAmps: -1 } }, 'control.safetyMarginAmps'],
    ['an unknown key', { budgets: 1 }, '(root)'],
    ['an unknown nested key', { closedLoop: { enabled: true, margin: 1 } }, 'closedLoop'],
    ['a budget below one car minimum (kW)', { budget: { unit: 'kW', min: 0, max: 1 } }, 'budget.max'],
    ['a budget below one car minimum (A)', { budget: { unit: 'A', min: 0, max: 5 } }, 'budget.max'],
    ['a fail-safe current between 0 and 6 A', { failSafe: { connectorAmps: 3 } }, 'failSafe.connectorAmps'],
    ['an imbalance limit below 6 A', { phaseImbalance: { maxAmps: 4 } }, 'phaseImbalance.maxAmps'],
    ['an unknown distribution mode', { distribution: 'random' }, 'distribution'],
    ['an unknown control mode', { control: { mode: 'psychic' } }, 'control.mode'],
    ['a bad connector reference', { vip: { enabled: true, connectors: ['CP 1'] } }, 'vip.connectors[0]'],
    ['a bad time', { schedules: [{ days: ['mon'], from: '25:00', to: '06:00', budgetMax: 10 }] }, 'schedules[0].from'],
    [
      'a schedule outside the budget',
      { schedules: [{ days: ['mon'], from: '17:00', to: '20:00', budgetMax: 99 }] },
      'schedules[0].budgetMax',
    ],
    [
      'an empty schedule window',
      { schedules: [{ days: ['mon'], from: '17:00', to: '17:00', budgetMax: 10 }] },
      'schedules[0].to',
    ],
    [
      'overlapping schedules',
      {
        schedules: [
          { days: ['mon'], from: '22:00', to: '06:00', budgetMax: 10 },
          { days: ['tue'], from: '05:00', to: '07:00', budgetMax: 10 },
        ],
      },
      'schedules[1]',
    ],
    ['a priority level defined twice', { priorityLevels: [{ level: 2 }, { level: 2 }] }, 'priorityLevels[1].level'],
    [
      'an id tag in two levels',
      {
        priorityLevels: [
          { level: 2, idTags: ['A'] },
          { level: 3, idTags: ['A'] },
        ],
      },
      'priorityLevels[1].idTags[0]',
    ],
    ['a wrong schema version', { $schemaVersion: 2 }, '$schemaVersion'],
  ])('should reject %s with its path', (_name, patch, path) => {
    const result = parseWith(PolicySchema, { ...base, ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });

  it('should list every bad field of a policy at once', () => {
    const result = parseWith(PolicySchema, { ...base, extra: true, distribution: 'x', hysteresis: { stepAmps: -1 } });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map((i) => i.path).sort()).toEqual(['(root)', 'distribution', 'hysteresis.stepAmps']);
  });
});
