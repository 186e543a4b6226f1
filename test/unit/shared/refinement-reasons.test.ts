/**
 * Issue 16: the policy's and the site's own rules (their refinements and pattern checks) carry a stable reason with
 * parameters, as zod's generic issues do, so a German page shows them in German. Each rule is met once here, and no
 * refinement or pattern message in shared/ is said without a reason (a new one written with `ctx.addIssue` or a bare
 * message fails the last test); test/unit/browser/ui/catalogues.test.ts checks every reason has its German text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demandPreview } from '../../../shared/demand/demand-preview';
import { DemandTariffSchema } from '../../../shared/demand/demand-tariff';
import { circuitMeterIssues, MeterConfigListSchema, MeterConfigSchema } from '../../../edge/meter/meter-config';
import { PolicySchema } from '../../../shared/policy/policy-schema';
import { englishMessage, type MessageRef } from '../../../shared/server-messages';
import { SiteSchema } from '../../../shared/site/site-schema';
import { parseWith } from '../../../shared/validation';

const policy = (patch: object) => ({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 32 }, ...patch });
const schedule = (patch: object) => ({ days: ['mon'], from: '08:00', to: '12:00', budgetMax: 16, ...patch });
const site = (patch: object) => ({
  $schemaVersion: 1,
  id: 'site-1',
  circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }],
  chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 }],
  ...patch,
});

type Rule = [string, () => unknown, { path: string } & MessageRef];

const issuesOf = (schema: Parameters<typeof parseWith>[0], input: unknown) => {
  const parsed = parseWith(schema, input);
  return parsed.ok ? [] : parsed.issues;
};

const POLICY_RULES: Rule[] = [
  [
    'budget min above max',
    () => policy({ budget: { unit: 'A', min: 40, max: 30 } }),
    { path: 'budget.min', reason: 'policy.budgetMinAboveMax', params: { min: 40, max: 30 } },
  ],
  [
    "budget below one car's minimum",
    () => policy({ budget: { unit: 'kW', min: 0, max: 1 } }),
    { path: 'budget.max', reason: 'policy.budgetBelowOneCar', params: { max: 1, unit: 'kW', floor: 1.38 } },
  ],
  [
    'fail-safe between 0 and 6 A',
    () => policy({ failSafe: { connectorAmps: 3 } }),
    { path: 'failSafe.connectorAmps', reason: 'policy.failSafeTooLow', params: { minimum: 6 } },
  ],
  [
    'phase imbalance under 6 A',
    () => policy({ phaseImbalance: { maxAmps: 4 } }),
    { path: 'phaseImbalance.maxAmps', reason: 'policy.imbalanceTooLow', params: { minimum: 6 } },
  ],
  [
    'a time not HH:MM',
    () => policy({ schedules: [schedule({ from: '8am' })] }),
    { path: 'schedules[0].from', reason: 'policy.timeOfDay' },
  ],
  [
    "a schedule outside the budget's bounds",
    () => policy({ schedules: [schedule({ budgetMax: 40 })] }),
    { path: 'schedules[0].budgetMax', reason: 'policy.scheduleOutsideBudget', params: { min: 0, max: 32 } },
  ],
  [
    'an empty schedule window',
    () => policy({ schedules: [schedule({ to: '08:00' })] }),
    { path: 'schedules[0].to', reason: 'policy.scheduleEmpty' },
  ],
  [
    'overlapping schedules',
    () => policy({ schedules: [schedule({}), schedule({ from: '11:00', to: '13:00' })] }),
    { path: 'schedules[1]', reason: 'policy.scheduleOverlap', params: { other: 0 } },
  ],
  [
    'a priority level twice',
    () => policy({ priorityLevels: [{ level: 2 }, { level: 2 }] }),
    { path: 'priorityLevels[1].level', reason: 'policy.levelTwice', params: { level: 2 } },
  ],
  [
    'an id tag in two levels',
    () =>
      policy({
        priorityLevels: [
          { level: 1, idTags: ['T1'] },
          { level: 2, idTags: ['T1'] },
        ],
      }),
    { path: 'priorityLevels[1].idTags[0]', reason: 'policy.idTagInLevel', params: { idTag: 'T1', level: 1 } },
  ],
  [
    'a connector in two levels',
    () =>
      policy({
        priorityLevels: [
          { level: 1, connectors: ['CP-1/1'] },
          { level: 3, connectors: ['CP-1/1'] },
        ],
      }),
    {
      path: 'priorityLevels[1].connectors[0]',
      reason: 'policy.connectorInLevel',
      params: { connector: 'CP-1/1', level: 1 },
    },
  ],
  [
    'a connector reference without its connector',
    () => policy({ vip: { enabled: true, connectors: ['CP-1'] } }),
    { path: 'vip.connectors[0]', reason: 'site.connectorRef' },
  ],
  [
    'demand control with no target',
    () => policy({ control: { mode: 'dynamic' }, demandControl: { enabled: true } }),
    { path: 'demandControl.targetKw', reason: 'policy.demandNoTarget' },
  ],
  [
    'demand control under static control',
    () => policy({ demandControl: { enabled: true, targetKw: 50 } }),
    { path: 'demandControl.enabled', reason: 'policy.demandNeedsDynamic' },
  ],
];

const SITE_RULES: Rule[] = [
  ['an id with a space', () => site({ id: 'site 1' }), { path: 'id', reason: 'site.idCharacters' }],
  [
    'an unknown time zone',
    () => site({ timezone: 'Mars/Olympus' }),
    { path: 'timezone', reason: 'site.unknownTimezone', params: { timezone: 'Mars/Olympus' } },
  ],
  [
    'a duplicate circuit',
    () =>
      site({
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63 },
          { id: 'b', parent: 'grid', fuseAmps: 10 },
          { id: 'b', parent: 'grid', fuseAmps: 10 },
        ],
      }),
    { path: 'circuits[2].id', reason: 'site.duplicateCircuit', params: { id: 'b' } },
  ],
  [
    'two roots',
    () =>
      site({
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63 },
          { id: 'b', parent: null, fuseAmps: 10 },
        ],
      }),
    { path: 'circuits', reason: 'site.oneRoot', params: { count: 2 } },
  ],
  [
    'an unknown parent',
    () =>
      site({
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63 },
          { id: 'x', parent: 'nope', fuseAmps: 10 },
        ],
      }),
    { path: 'circuits[1].parent', reason: 'site.unknownParent', params: { parent: 'nope' } },
  ],
  [
    'a cycle',
    () =>
      site({
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63 },
          { id: 'a', parent: 'a', fuseAmps: 10 },
        ],
      }),
    { path: 'circuits[1].parent', reason: 'site.cycle', params: { id: 'a' } },
  ],
  [
    'a duplicate charger',
    () =>
      site({
        chargers: [
          { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 },
          { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 },
        ],
      }),
    { path: 'chargers[1].id', reason: 'site.duplicateCharger', params: { id: 'CP-1' } },
  ],
  [
    'an unknown circuit',
    () => site({ chargers: [{ id: 'CP-1', circuit: 'board', phases: 3, maxAmps: 32 }] }),
    { path: 'chargers[0].circuit', reason: 'site.unknownCircuit', params: { circuit: 'board' } },
  ],
  [
    "a charger's min above its max",
    () => site({ chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 10, minAmps: 16 }] }),
    { path: 'chargers[0].minAmps', reason: 'site.chargerMinAboveMax', params: { minAmps: 16, maxAmps: 10 } },
  ],
  [
    'a duplicate connector',
    () =>
      site({ chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32, connectors: [{ id: 1 }, { id: 1 }] }] }),
    { path: 'chargers[0].connectors[1].id', reason: 'site.duplicateConnector', params: { id: 1 } },
  ],
  [
    "a connector's min above its max",
    () =>
      site({
        chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32, connectors: [{ id: 1, maxAmps: 4 }] }],
      }),
    {
      path: 'chargers[0].connectors[0].minAmps',
      reason: 'site.connectorMinAboveMax',
      params: { minAmps: 6, maxAmps: 4 },
    },
  ],
];

/** The meter settings' rules (edge/meter/), which the site page shows at their fields: a test read, a meter saved. */
const meter = (patch: object) => ({
  meterId: 'grid',
  model: 'eastron-sdm630',
  connection: { transport: 'tcp', host: '127.0.0.1', port: 502 },
  ...patch,
});
const customMap = () => {
  const field = { address: 0, type: 'float32', scale: 1 };
  const phases = [field, field, field];
  const fields = { volts: phases, amps: phases, watts: phases, totalWatts: field, importWh: field };
  return { functionCode: 4, wordOrder: 'high-first', fields };
};

const METER_RULES: Rule[] = [
  [
    'a poll timeout above its interval',
    () => meter({ poll: { intervalMs: 1000, timeoutMs: 2000 } }),
    { path: 'poll.timeoutMs', reason: 'meterSettings.timeoutAboveInterval' },
  ],
  [
    'a back-off maximum below its start',
    () => meter({ poll: { backoffInitialMs: 5000, backoffMaxMs: 1000 } }),
    { path: 'poll.backoffMaxMs', reason: 'meterSettings.backoffBelowInitial' },
  ],
  [
    'a plausibility band upside down',
    () => meter({ plausibility: { minVolts: 250, maxVolts: 200 } }),
    { path: 'plausibility.maxVolts', reason: 'meterSettings.maxVoltsNotAbove' },
  ],
  [
    'a custom model without a map',
    () => meter({ model: 'custom' }),
    { path: 'customMap', reason: 'meterSettings.customMapRequired' },
  ],
  [
    'a map beside a known model',
    () => meter({ customMap: customMap() }),
    { path: 'customMap', reason: 'meterSettings.customMapNotAllowed', params: { model: 'eastron-sdm630' } },
  ],
  [
    'a register scaled by 0',
    () => {
      const map = customMap();
      return meter({
        model: 'custom',
        customMap: { ...map, fields: { ...map.fields, totalWatts: { address: 0, type: 'float32', scale: 0 } } },
      });
    },
    { path: 'customMap.fields.totalWatts.scale', reason: 'meterSettings.scaleZero' },
  ],
  [
    'a register past the last address',
    () => {
      const map = customMap();
      return meter({
        model: 'custom',
        customMap: { ...map, fields: { ...map.fields, importWh: { address: 65535, type: 'float32', scale: 1 } } },
      });
    },
    { path: 'customMap.fields.importWh.address', reason: 'meterSettings.pastLastAddress' },
  ],
  [
    'a register longer than one read',
    () => meter({ model: 'custom', customMap: { ...customMap(), maxRegistersPerRead: 1 } }),
    { path: 'customMap.fields.totalWatts.type', reason: 'meterSettings.tooManyWords', params: { maximum: 1 } },
  ],
];

/**
 * The files of edge/ whose rules reach a page (the site page's meter settings). The agent's start-up configuration
 * (edge/config/, the cluster's and the CSMS link's) reaches only the start-up log and is said in English there.
 */
const PAGE_RULE_SOURCES = [join('edge', 'meter', 'meter-config.ts'), join('edge', 'meter', 'register-map.ts')];

/** Every file of shared/ but the one that says rules with reasons. */
function sharedSources(folder = 'shared'): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sharedSources(path);
    return path.endsWith('.ts') && path !== join('shared', 'reasoned-issue.ts') ? [path] : [];
  });
}

describe('the policy’s and the site’s own rules', () => {
  it.each([
    ...POLICY_RULES.map((r) => [...r, PolicySchema] as const),
    ...SITE_RULES.map((r) => [...r, SiteSchema] as const),
    ...METER_RULES.map((r) => [...r, MeterConfigSchema] as const),
  ])('should refuse %s with its reason and parameters, the message its English text', (_, input, expected, schema) => {
    // Act
    const issues = issuesOf(schema, input());

    // Assert
    expect(issues).toContainEqual({ ...expected, message: englishMessage(expected) });
  });

  it('should refuse a currency that is not an ISO code, and a preview past the period, with their reasons', () => {
    // Arrange
    const tariff = { perKw: 40, per: 'year', currency: 'euro' };
    const demand = PolicySchema.parse(
      policy({ control: { mode: 'dynamic' }, demandControl: { enabled: true, targetKw: 20 } }),
    );
    const state = { averageSoFarKw: 10, secondsIntoPeriod: 900, otherKw: 5, monthPeakKw: 0 };

    // Act
    const currency = issuesOf(DemandTariffSchema, tariff);
    const preview = demandPreview(demand, state, 230, 'demand');

    // Assert
    expect(currency).toMatchObject([{ path: 'currency', reason: 'demand.currencyCode' }]);
    expect(preview).toMatchObject({
      ok: false,
      issue: { path: 'demand.secondsIntoPeriod', reason: 'demand.previewPastPeriod', params: { seconds: 900 } },
    });
  });

  it('should refuse a meter id twice, and circuits naming meters that do not fit, with their reasons', () => {
    // Arrange
    const tree = SiteSchema.parse(
      site({
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 63, meterId: 'pv' },
          { id: 'board', parent: 'grid', fuseAmps: 32, meterId: 'nowhere' },
          { id: 'roof', parent: 'grid', fuseAmps: 32, meterId: 'pv' },
        ],
      }),
    );
    const meters = [MeterConfigSchema.parse(meter({ meterId: 'pv', role: 'sub-distribution' }))];

    // Act
    const twice = issuesOf(MeterConfigListSchema, [meter({}), meter({})]);
    const circuits = circuitMeterIssues(tree, meters);

    // Assert
    expect(twice).toMatchObject([
      { path: '[1].meterId', reason: 'meterSettings.duplicateMeter', params: { meterId: 'grid' } },
    ]);
    const expected: Rule[2][] = [
      {
        path: 'circuits[0].meterId',
        reason: 'meterSettings.roleMisfit',
        params: {
          meterId: 'pv',
          role: 'sub-distribution',
          misfit: { ref: 'meterSettings.misfit.isGrid', params: { circuit: 'grid' } },
        },
      },
      { path: 'circuits[1].meterId', reason: 'meterSettings.unknownMeter', params: { meterId: 'nowhere' } },
      {
        path: 'circuits[2].meterId',
        reason: 'meterSettings.measuredTwice',
        params: { meterId: 'pv', other: 'grid' },
      },
    ];
    expect(circuits).toEqual(expected.map((issue) => ({ ...issue, message: englishMessage(issue) })));
  });

  it('should say no refinement or pattern message in shared/ without a reason', () => {
    // Arrange: a rule is said through shared/reasoned-issue.ts; a pattern check has no message or patternMessage()
    const unreasoned = /\.addIssue\(|\.refine\(|\.regex\(\/.*\/[a-z]*,(?!\s*patternMessage\()/;

    // Act
    const found = [...sharedSources(), ...PAGE_RULE_SOURCES].flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) => (unreasoned.test(line) ? [`${relative('.', path)}:${i + 1}: ${line.trim()}`] : [])),
    );

    // Assert
    expect(found).toEqual([]);
  });
});
