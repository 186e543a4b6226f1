/** The allocations table (live page and test request alike): ID, IP, model, VIP, status, requested, allocated per phase, reason. */
import { badge } from '../../ui/badges';
import { budgetSourceText } from '../../ui/budget-source';
import { dataTable } from '../../ui/data-table';
import { el } from '../../ui/element';
import type { AllocationRow, AllocationsAnswer } from '../../../shared/dashboard/api-answers';
import { statusTone } from './charger-card';

const amps = (value: number) => value.toFixed(1);

export function allocationSummary(answer: AllocationsAnswer): string {
  if (answer.budget === null || answer.totalAmps === null)
    return 'No allocation yet: the control loop has not run a round.';
  return `Budget ${answer.budget.value} ${answer.budget.unit} (${budgetSourceText(answer.budget.source)}); allocated ${answer.totalAmps.map(amps).join(' / ')} A on L1 / L2 / L3.`;
}

export function allocationTable(
  answer: AllocationsAnswer,
  options: { caption: string; testId: string; highlight?: string },
): HTMLElement {
  return dataTable<AllocationRow>({
    caption: options.caption,
    testId: options.testId,
    rows: answer.rows,
    empty: 'No allocation yet.',
    columns: [
      {
        header: 'ID',
        cell: (r) => (r.ref === options.highlight ? el('span', {}, r.ref, ' ', badge('test request', 'ok')) : r.ref),
      },
      { header: 'IP', cell: (r) => r.ip ?? '–' },
      { header: 'Model', cell: (r) => r.model ?? '–' },
      { header: 'VIP', cell: (r) => (r.vip ? 'YES' : 'NO') },
      {
        header: 'Status',
        cell: (r) => badge(r.link === 'online' ? r.status : r.link, r.link === 'online' ? statusTone(r.status) : 'bad'),
      },
      { header: 'Requested A', cell: (r) => amps(r.requestedAmps), numeric: true },
      { header: 'Allocated A', cell: (r) => amps(r.allocatedAmps), numeric: true },
      { header: 'L1 / L2 / L3', cell: (r) => r.phaseAmps.map(amps).join(' / '), numeric: true },
      { header: 'Reason', cell: (r) => (r.boundBy ? `${r.reason} (${r.boundBy})` : r.reason) },
    ],
  });
}
