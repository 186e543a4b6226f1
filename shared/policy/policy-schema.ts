/** The load-management policy shared by the edge agent and the cloud: one strict, versioned schema. */
import { z } from 'zod';
import type { DeepReadonly } from '../deep-readonly';
import { addReasonedIssue, patternMessage } from '../reasoned-issue';
import { ConnectorRefSchema } from '../site/connector-ref';

/** The smallest current a car can charge at (IEC 61851), used to reject budgets no car could use. */
export const IEC_MIN_AMPS = 6;
/** The voltage assumed when a kW budget is checked without a site (the site's own voltage is used at run time). */
export const DEFAULT_NOMINAL_VOLTS = 230;

/** How the budget is shared: see docs/allocation.md, "Prioritised distribution". */
export const DISTRIBUTIONS = ['equal', 'priority', 'priorityStrict'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

const IdTagSchema = z.string().min(1).max(20);
const amps = z.number().finite().nonnegative().max(100_000);
const seconds = z
  .number()
  .int()
  .nonnegative()
  .max(7 * 24 * 3600);

export const BudgetSchema = z
  .object({
    /** `kW`: cumulative power of all connectors; `A`: current per phase. */
    unit: z.enum(['kW', 'A']),
    /** The lowest the budget may be set to by a schedule or an external setpoint. */
    min: z.number().finite().nonnegative(),
    /** The charging cluster's budget (and the ceiling for schedules and dynamic headroom). */
    max: z.number().finite().positive(),
  })
  .strict();

const StaticControlSchema = z.object({ mode: z.literal('static') }).strict();

const DynamicControlSchema = z
  .object({
    mode: z.literal('dynamic'),
    /** The grid connection limit per phase the headroom is computed against; defaults to each metered circuit's fuse. */
    gridLimitAmps: amps.optional(),
    /** Kept free on every phase below the limit, for measurement lag and loads that start suddenly. */
    safetyMarginAmps: amps.default(2),
    staleMeter: z
      .object({
        /** A reading older than this (or invalid) counts as a lost meter. */
        afterSeconds: z.number().positive().max(3600).default(10),
        /** Per-phase amps the chargers under a circuit may share while its meter is lost. */
        fallbackAmps: amps.default(16),
      })
      .strict()
      .default({ afterSeconds: 10, fallbackAmps: 16 }),
  })
  .strict();

export const ControlSchema = z.discriminatedUnion('mode', [StaticControlSchema, DynamicControlSchema]);

export const ScheduleSchema = z
  .object({
    days: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
      .min(1)
      .max(7),
    /** Local time `HH:MM` in the site's time zone; `to` before `from` runs past midnight. */
    from: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, patternMessage('policy.timeOfDay')),
    to: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, patternMessage('policy.timeOfDay')),
    /** The budget's max during this window, in the budget's unit. */
    budgetMax: z.number().finite().nonnegative(),
  })
  .strict();

export const PriorityLevelSchema = z
  .object({
    level: z.number().int().min(1).max(9),
    idTags: z.array(IdTagSchema).max(10_000).default([]),
    connectors: z.array(ConnectorRefSchema).max(20_000).default([]),
  })
  .strict();

/** Peak-demand control for a capacity tariff (docs/demand-control.md): each period's average import under a target. */
export const DemandControlSchema = z
  .object({
    enabled: z.boolean(),
    /** The averaging period, aligned to the site's clock as the grid operator's meter counts it. */
    periodMinutes: z.literal([5, 10, 15, 30, 60]).default(15),
    /** A fixed cap on every period's average import power (kW); null: none. */
    targetKw: z.number().finite().positive().max(100_000).nullable().default(null),
    /** Never raise the month's highest period average already reached (the peak already paid for). */
    followMonthPeak: z.boolean().default(false),
    /** Following the month's peak starts from this (Belgium's capacity tariff bills at least 2.5 kW). */
    floorKw: z.number().finite().nonnegative().max(100_000).default(2.5),
    /** Kept back from the target for the other load's forecast error and the cars' response to a cut. */
    marginKw: z.number().finite().nonnegative().max(10_000).default(0.5),
  })
  .strict();

const PolicyObjectSchema = z
  .object({
    $schemaVersion: z.literal(1),
    /**
     * `equal`: share equally; `priority`: higher classes (VIP, then priority levels) are served up to their maximum
     * first while every lower car keeps its minimum; `priorityStrict`: higher classes are served up to their maximum
     * first, lower classes share what is left and are paused when nothing is left for their minimum.
     */
    distribution: z.enum(DISTRIBUTIONS).default('equal'),
    budget: BudgetSchema,
    control: ControlSchema.default({ mode: 'static' }),
    closedLoop: z
      .object({
        enabled: z.boolean(),
        /** A car drawing at least this much less than offered is limited to its draw plus the margin. */
        thresholdAmps: amps.min(0.5).default(2),
        marginAmps: amps.min(0.5).default(1),
        /** Measurements taken sooner than this after a limit changed are not judged (the car is still ramping). */
        settleSeconds: z.number().nonnegative().max(600).default(15),
      })
      .strict()
      .default({ enabled: false, thresholdAmps: 2, marginAmps: 1, settleSeconds: 15 }),
    /** Measurements older than this are not trusted (closed loop and dynamic headroom). */
    measurementMaxAgeSeconds: z.number().positive().max(3600).default(60),
    vip: z
      .object({
        enabled: z.boolean(),
        idTags: z.array(IdTagSchema).max(10_000).default([]),
        connectors: z.array(ConnectorRefSchema).max(20_000).default([]),
      })
      .strict()
      .default({ enabled: false, idTags: [], connectors: [] }),
    priorityLevels: z.array(PriorityLevelSchema).max(9).default([]),
    /** Largest allowed difference between the most and least loaded phase of the chargers' own load; null is off. */
    phaseImbalance: z.object({ maxAmps: amps.nullable() }).strict().default({ maxAmps: null }),
    failSafe: z
      .object({
        /** The limit each charger holds on its own when the controller is gone (0, or at least 6 A). */
        connectorAmps: amps.max(1000).default(6),
      })
      .strict()
      .default({ connectorAmps: 6 }),
    hysteresis: z
      .object({
        /** Changes smaller than this are not sent, unless a limit requires them. */
        stepAmps: amps.max(32).default(1),
        minPauseSeconds: seconds.default(60),
        minActiveSeconds: seconds.default(120),
      })
      .strict()
      .default({ stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 120 }),
    /** When not every car can charge, paused and charging cars swap at this interval; 0 is off. */
    rotation: z.object({ intervalSeconds: seconds }).strict().default({ intervalSeconds: 900 }),
    /** Allocations are multiples of this. */
    granularityAmps: z.literal([0.1, 0.5, 1]).default(0.1),
    schedules: z.array(ScheduleSchema).max(50).default([]),
    demandControl: DemandControlSchema.default({
      enabled: false,
      periodMinutes: 15,
      targetKw: null,
      followMonthPeak: false,
      floorKw: 2.5,
      marginKw: 0.5,
    }),
  })
  .strict();

export const PolicySchema = PolicyObjectSchema.superRefine((policy, ctx) => checkPolicy(policy, ctx));

export type PolicyInput = z.input<typeof PolicySchema>;
/** A parsed policy, deeply readonly: the allocator keys its caches by the policy object, so a change must be a new one. */
export type Policy = DeepReadonly<z.output<typeof PolicySchema>>;
export type Schedule = DeepReadonly<z.output<typeof ScheduleSchema>>;

/** The smallest budget that lets one 1-phase car charge at its minimum, in the budget's unit. */
export function oneCarMinimum(unit: 'kW' | 'A', volts = DEFAULT_NOMINAL_VOLTS): number {
  return unit === 'A' ? IEC_MIN_AMPS : (IEC_MIN_AMPS * volts) / 1000;
}

function checkPolicy(p: Policy, ctx: z.RefinementCtx): void {
  const { budget } = p;
  if (budget.min > budget.max)
    addReasonedIssue(ctx, ['budget', 'min'], 'policy.budgetMinAboveMax', { min: budget.min, max: budget.max });
  const floor = oneCarMinimum(budget.unit);
  if (budget.max < floor)
    addReasonedIssue(ctx, ['budget', 'max'], 'policy.budgetBelowOneCar', { max: budget.max, unit: budget.unit, floor });
  const failSafe = p.failSafe.connectorAmps;
  if (failSafe > 0 && failSafe < IEC_MIN_AMPS)
    addReasonedIssue(ctx, ['failSafe', 'connectorAmps'], 'policy.failSafeTooLow', { minimum: IEC_MIN_AMPS });
  const imbalance = p.phaseImbalance.maxAmps;
  if (imbalance !== null && imbalance < IEC_MIN_AMPS)
    addReasonedIssue(ctx, ['phaseImbalance', 'maxAmps'], 'policy.imbalanceTooLow', { minimum: IEC_MIN_AMPS });
  p.schedules.forEach((s, i) => {
    if (s.budgetMax < budget.min || s.budgetMax > budget.max) {
      const bounds = { min: budget.min, max: budget.max };
      addReasonedIssue(ctx, ['schedules', i, 'budgetMax'], 'policy.scheduleOutsideBudget', bounds);
    }
    if (s.from === s.to) addReasonedIssue(ctx, ['schedules', i, 'to'], 'policy.scheduleEmpty');
  });
  checkScheduleOverlaps(p.schedules, ctx);
  checkUniqueMembership(p, ctx);
  checkDemandControl(p, ctx);
}

function checkDemandControl(p: Policy, ctx: z.RefinementCtx): void {
  const demand = p.demandControl;
  if (!demand.enabled) return;
  if (demand.targetKw === null && !demand.followMonthPeak)
    addReasonedIssue(ctx, ['demandControl', 'targetKw'], 'policy.demandNoTarget');
  if (p.control.mode !== 'dynamic') addReasonedIssue(ctx, ['demandControl', 'enabled'], 'policy.demandNeedsDynamic');
}

const DAY_INDEX = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minute-of-week intervals a schedule covers (a window past midnight continues into the next day). */
export function scheduleIntervals(s: Schedule): Array<[number, number]> {
  const from = minutesOf(s.from);
  const to = minutesOf(s.to);
  const week = 7 * 1440;
  const out: Array<[number, number]> = [];
  for (const day of s.days) {
    const start = DAY_INDEX[day] * 1440 + from;
    const end = DAY_INDEX[day] * 1440 + (to > from ? to : to + 1440);
    if (end <= week) out.push([start, end]);
    else out.push([start, week], [0, end - week]);
  }
  return out;
}

function checkScheduleOverlaps(schedules: readonly Schedule[], ctx: z.RefinementCtx): void {
  const spans = schedules.flatMap((s, i) => scheduleIntervals(s).map(([a, b]) => ({ a, b, i })));
  spans.sort((x, y) => x.a - y.a);
  for (let k = 1; k < spans.length; k++) {
    const prev = spans[k - 1]!;
    const cur = spans[k]!;
    if (cur.a < prev.b && cur.i !== prev.i)
      addReasonedIssue(ctx, ['schedules', Math.max(cur.i, prev.i)], 'policy.scheduleOverlap', {
        other: Math.min(cur.i, prev.i),
      });
  }
}

function checkUniqueMembership(p: Policy, ctx: z.RefinementCtx): void {
  const levels = new Set<number>();
  const tagLevel = new Map<string, number>();
  const connectorLevel = new Map<string, number>();
  p.priorityLevels.forEach((level, i) => {
    if (levels.has(level.level))
      addReasonedIssue(ctx, ['priorityLevels', i, 'level'], 'policy.levelTwice', { level: level.level });
    levels.add(level.level);
    level.idTags.forEach((tag, j) => {
      const tagIn = tagLevel.get(tag);
      if (tagIn !== undefined)
        addReasonedIssue(ctx, ['priorityLevels', i, 'idTags', j], 'policy.idTagInLevel', { idTag: tag, level: tagIn });
      tagLevel.set(tag, level.level);
    });
    level.connectors.forEach((ref, j) => {
      const refIn = connectorLevel.get(ref);
      if (refIn !== undefined)
        addReasonedIssue(ctx, ['priorityLevels', i, 'connectors', j], 'policy.connectorInLevel', {
          connector: ref,
          level: refIn,
        });
      connectorLevel.set(ref, level.level);
    });
  });
}
