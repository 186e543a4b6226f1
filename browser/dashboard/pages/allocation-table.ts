/** The allocations table (live page and test request alike): ID, IP, model, VIP, status, requested, allocated per phase, reason. */
import { badge } from '../../ui/badges';
import { boundByText } from '../../ui/bound-by';
import { budgetSourceText } from '../../ui/budget-source';
import { dataTable } from '../../ui/data-table';
import { el } from '../../ui/element';
import { formatNumber, formatPhaseAmps } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import type { AllocationRow, AllocationsAnswer } from '../../../shared/dashboard/api-answers';
import { statusTone } from './charger-card';

const amps = (value: number) => formatNumber(value, 1);

export function allocationSummary(answer: AllocationsAnswer): string {
  if (answer.budget === null || answer.totalAmps === null) return t('dashboard.allocations.none');
  return t('dashboard.allocations.summary', {
    value: formatNumber(answer.budget.value),
    unit: answer.budget.unit,
    source: budgetSourceText(answer.budget.source),
    amps: formatPhaseAmps(answer.totalAmps),
  });
}

export function allocationTable(
  answer: AllocationsAnswer,
  options: { caption: string; testId: string; highlight?: string },
): HTMLElement {
  return dataTable<AllocationRow>({
    caption: options.caption,
    testId: options.testId,
    rows: answer.rows,
    empty: t('dashboard.allocations.empty'),
    columns: [
      {
        header: 'ID',
        cell: (r) =>
          r.ref === options.highlight
            ? el('span', {}, r.ref, ' ', badge(t('dashboard.allocations.testRequestBadge'), 'ok'))
            : r.ref,
      },
      { header: t('dashboard.allocations.ip'), cell: (r) => r.ip ?? '–' },
      { header: t('dashboard.allocations.model'), cell: (r) => r.model ?? '–' },
      {
        header: t('dashboard.allocations.vip'),
        cell: (r) => (r.vip ? t('dashboard.allocations.vipYes') : t('dashboard.allocations.vipNo')),
      },
      {
        header: t('dashboard.allocations.status'),
        cell: (r) =>
          r.link === 'online'
            ? badge(t(`common.connectorStatus.${r.status}`), statusTone(r.status))
            : badge(t(`common.link.${r.link}`), 'bad'),
      },
      { header: t('dashboard.allocations.requested'), cell: (r) => amps(r.requestedAmps), numeric: true },
      { header: t('dashboard.allocations.allocated'), cell: (r) => amps(r.allocatedAmps), numeric: true },
      { header: 'L1 / L2 / L3', cell: (r) => formatPhaseAmps(r.phaseAmps), numeric: true },
      {
        header: t('dashboard.allocations.reason'),
        cell: (r) => {
          const reason = t(`common.reason.${r.reason}`);
          return r.boundBy
            ? t('dashboard.allocations.reasonBound', { reason, boundBy: boundByText(r.boundBy) })
            : reason;
        },
      },
    ],
  });
}
