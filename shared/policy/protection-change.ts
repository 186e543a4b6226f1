/** The rule for "this change lowers the site's protection": what a console must ask an operator to confirm before a push. */
import type { Policy } from './policy-schema';

/** One way a new policy protects the grid connection less than the one it replaces. */
export interface ProtectionLowering {
  /** The policy field, dotted (`control.mode`, `failSafe.connectorAmps`). */
  readonly path: string;
  /** A sentence for the operator, with the old and the new value. */
  readonly reason: string;
}

type Check = (before: Policy, after: Policy) => ProtectionLowering | undefined;

const raised = (path: string, what: string, unit: string, before: number, after: number) =>
  after > before ? { path, reason: `${what} raised from ${before} ${unit} to ${after} ${unit}` } : undefined;

const dynamicOf = (p: Policy) => (p.control.mode === 'dynamic' ? p.control : undefined);

/** Evaluated in this order, so a list of lowerings reads the same way every time. */
const CHECKS: readonly Check[] = [
  (b, a) =>
    dynamicOf(b) && !dynamicOf(a)
      ? {
          path: 'control.mode',
          reason:
            'dynamic grid protection switched off (dynamic → static): the chargers no longer follow the building load',
        }
      : undefined,
  (b, a) => {
    const [before, after] = [dynamicOf(b)?.gridLimitAmps, dynamicOf(a)?.gridLimitAmps];
    if (before === undefined || !dynamicOf(a)) return undefined;
    if (after === undefined)
      return {
        path: 'control.gridLimitAmps',
        reason: `grid limit of ${before} A removed: each metered circuit's full fuse is used instead`,
      };
    return raised('control.gridLimitAmps', 'grid limit (fuse)', 'A', before, after);
  },
  (b, a) => {
    const [before, after] = [dynamicOf(b), dynamicOf(a)];
    return before && after && after.safetyMarginAmps < before.safetyMarginAmps
      ? {
          path: 'control.safetyMarginAmps',
          reason: `safety margin lowered from ${before.safetyMarginAmps} A to ${after.safetyMarginAmps} A`,
        }
      : undefined;
  },
  (b, a) => {
    const [before, after] = [dynamicOf(b), dynamicOf(a)];
    return before && after
      ? raised(
          'control.staleMeter.fallbackAmps',
          'current allowed while the meter is lost',
          'A',
          before.staleMeter.fallbackAmps,
          after.staleMeter.fallbackAmps,
        )
      : undefined;
  },
  (b, a) => {
    const [before, after] = [dynamicOf(b), dynamicOf(a)];
    return before && after
      ? raised(
          'control.staleMeter.afterSeconds',
          'time before a silent meter counts as lost',
          's',
          before.staleMeter.afterSeconds,
          after.staleMeter.afterSeconds,
        )
      : undefined;
  },
  (b, a) =>
    b.budget.unit !== a.budget.unit
      ? {
          path: 'budget.unit',
          reason: `budget unit changed from ${b.budget.unit} to ${a.budget.unit} (${b.budget.max} ${b.budget.unit} → ${a.budget.max} ${a.budget.unit}): check that the new budget is not larger`,
        }
      : raised('budget.max', 'budget', b.budget.unit, b.budget.max, a.budget.max),
  (b, a) =>
    raised(
      'failSafe.connectorAmps',
      'fail-safe current per charger',
      'A',
      b.failSafe.connectorAmps,
      a.failSafe.connectorAmps,
    ),
  (b, a) =>
    b.closedLoop.enabled && !a.closedLoop.enabled
      ? {
          path: 'closedLoop.enabled',
          reason: 'closed loop switched off: cars that draw less keep their whole allocation reserved',
        }
      : undefined,
  (b, a) =>
    raised(
      'measurementMaxAgeSeconds',
      'age up to which measurements are trusted',
      's',
      b.measurementMaxAgeSeconds,
      a.measurementMaxAgeSeconds,
    ),
  (b, a) => {
    const [before, after] = [b.phaseImbalance.maxAmps, a.phaseImbalance.maxAmps];
    if (before === null) return undefined;
    if (after === null)
      return { path: 'phaseImbalance.maxAmps', reason: `phase imbalance limit of ${before} A switched off` };
    return raised('phaseImbalance.maxAmps', 'phase imbalance limit', 'A', before, after);
  },
];

/**
 * Every way `after` protects the site less than `before`: dynamic to static, a larger grid limit or budget, a smaller
 * safety margin, a higher fail-safe or lost-meter current, closed loop off, a looser phase imbalance limit. Empty when
 * the change is as safe or safer. Pure; the console asks for an explicit confirmation when this is not empty.
 */
export function protectionLowerings(before: Policy, after: Policy): ProtectionLowering[] {
  return CHECKS.flatMap((check) => check(before, after) ?? []);
}
