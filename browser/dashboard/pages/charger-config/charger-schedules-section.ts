/** Per connector: what the agent's allocation in force gives it, beside the charger's own composite schedule. */
import type { ChargerSchedulesAnswer } from '../../../../shared/dashboard/charger-configuration-answers';
import { dataTable } from '../../../ui/data-table';
import { el } from '../../../ui/element';
import { formatAmps, formatNumber } from '../../../ui/i18n/format';
import { t } from '../../../ui/i18n/i18n';

type ConnectorSchedule = ChargerSchedulesAnswer['connectors'][number];

function compositeCell(row: ConnectorSchedule): Node | string {
  const { composite } = row;
  if ('error' in composite) return el('span', { lang: 'en' }, composite.error);
  if (composite.status === 'Rejected') return t('dashboard.chargerConfig.compositeRejected');
  if (composite.periods.length === 0) return t('dashboard.chargerConfig.noSchedule');
  const unit = composite.chargingRateUnit ?? 'A';
  return el(
    'ul',
    {},
    ...composite.periods.map((p) =>
      el(
        'li',
        {},
        t('dashboard.chargerConfig.period', {
          from: formatNumber(p.startPeriod, 0),
          limit: `${formatNumber(p.limit, 1)} ${unit}`,
        }),
      ),
    ),
  );
}

export function chargerSchedulesSection(answer: ChargerSchedulesAnswer) {
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'schedules-heading' },
    el('h2', { id: 'schedules-heading' }, t('dashboard.chargerConfig.schedulesHeading')),
    el('p', { class: 'muted' }, t('dashboard.chargerConfig.schedulesIntro')),
    dataTable({
      caption: t('dashboard.chargerConfig.schedulesCaption', { id: answer.chargerId }),
      testId: 'charger-schedules',
      rows: answer.connectors,
      columns: [
        { header: t('dashboard.chargerConfig.connector'), cell: (r) => r.connectorId },
        {
          header: t('dashboard.chargerConfig.allocated'),
          cell: (r) => (r.allocatedAmps === null ? '–' : formatAmps(r.allocatedAmps)),
        },
        { header: t('dashboard.chargerConfig.composite'), cell: compositeCell },
      ],
    }),
  );
}
