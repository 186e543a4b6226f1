/** Renders an allocation as text tables: one row per connector, and the load of every circuit on every phase. */
import type { Allocation } from '../../shared/allocation/allocation-types';
import type { DemandPreview } from '../../shared/demand/demand-preview';
import { PHASE_NAMES } from '../../shared/units';
import type { TrialWarning } from './trial-warnings';

const amps = (value: number) => value.toFixed(1);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The connector table: connector, phases, amps per grid phase, activity and reason. Given the previous allocation,
 * it also shows the limit and what it was, so closed loop, hysteresis and rotation can be seen at work.
 */
export function connectorTable(allocation: Allocation, previous?: Allocation): string {
  const before = previous ? new Map(previous.connectors.map((c) => [c.ref, c])) : undefined;
  const rows = allocation.connectors.map((c) => {
    const was = before?.get(c.ref);
    return [
      c.ref,
      String(c.phases),
      ...c.phaseAmps.map(amps),
      ...(before
        ? [amps(c.amps), was ? `${amps(was.amps)}${was.activity === 'active' ? '' : ` ${was.activity}`}` : '']
        : []),
      c.activity,
      c.reason + (c.vip ? ' (VIP)' : ''),
      c.boundBy ?? '',
    ];
  });
  return table(
    [
      'connector',
      'phases',
      ...PHASE_NAMES.map((p) => `${p} A`),
      ...(before ? ['limit A', 'was A'] : []),
      'state',
      'reason',
      'bound by',
    ],
    rows,
  );
}

/** The circuit table: allocated against the limit on each phase, with the meter's health. */
export function circuitTable(allocation: Allocation): string {
  const rows = allocation.circuits.map((c) => [
    c.id,
    ...PHASE_NAMES.map((_, p) => `${amps(c.allocatedAmps[p as 0 | 1 | 2])} / ${amps(c.limitAmps[p as 0 | 1 | 2])}`),
    c.otherLoadAmps ? c.otherLoadAmps.map(amps).join(' ') : '',
    c.meter,
  ]);
  return table(['circuit', ...PHASE_NAMES.map((p) => `${p} used/limit`), 'other load A', 'meter'], rows);
}

/** One line on the budget and the site's total load per phase. */
export function budgetLine(allocation: Allocation): string {
  const { budget, totalAmps } = allocation;
  return `budget ${budget.value} ${budget.unit} (${budget.source}); chargers draw ${totalAmps.map(amps).join(' / ')} A on L1 / L2 / L3`;
}

/** What peak-demand control gives the chargers at the trial's moment, as a line for people. */
export function demandLine(demand: DemandPreview): string {
  const into = `${Math.floor(demand.secondsIntoPeriod / 60)}:${String(Math.round(demand.secondsIntoPeriod % 60)).padStart(2, '0')}`;
  const kw = (value: number) => `${value.toFixed(1)} kW`;
  return (
    `peak demand: target ${kw(demand.targetKw)}; ${into} into the ${demand.periodMinutes}-min period at ` +
    `${kw(demand.averageSoFarKw)} so far, other load ${kw(demand.otherKw)}: the chargers get at most ` +
    `${kw(demand.chargersCapKw)} for the rest of the period (forecast ${kw(demand.forecastKw)})`
  );
}

/** Warnings as lines for people: what, where, and the code to look up. */
export function warningLines(warnings: readonly TrialWarning[]): string {
  return [
    `${warnings.length} warning(s):`,
    ...warnings.map((w) => `  warning ${w.path}: ${w.message} [${w.code}]`),
  ].join('\n');
}
