/** What an edited site would allocate now (the preview): each circuit's limit and load, each connector's amps. */
import type { SitePreviewView } from '../../../../shared/dashboard/site-setup-answers';
import { dataTable } from '../../../ui/data-table';
import { formatNumber, formatPhaseAmps } from '../../../ui/i18n/format';
import { t } from '../../../ui/i18n/i18n';

export function previewTables({ allocation }: SitePreviewView): HTMLElement[] {
  return [
    dataTable({
      caption: t('dashboard.site.previewCircuits'),
      testId: 'preview-circuits',
      rows: allocation.circuits,
      columns: [
        { header: t('dashboard.site.circuitId'), cell: (c) => c.id },
        { header: t('dashboard.site.limit'), cell: (c) => formatPhaseAmps(c.limitAmps), numeric: true },
        { header: t('dashboard.site.allocated'), cell: (c) => formatPhaseAmps(c.allocatedAmps), numeric: true },
      ],
    }),
    dataTable({
      caption: t('dashboard.site.previewConnectors'),
      testId: 'preview-connectors',
      rows: allocation.connectors,
      columns: [
        { header: t('dashboard.site.connector'), cell: (c) => c.ref },
        { header: t('dashboard.site.allocated'), cell: (c) => formatNumber(c.amps, 1), numeric: true },
        { header: t('dashboard.allocations.reason'), cell: (c) => t(`common.reason.${c.reason}`) },
      ],
    }),
  ];
}
