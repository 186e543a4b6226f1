/**
 * The sessions section's CSV download over a range the operator picks: from and to, local date and time, by default
 * what the section shows (sessions started since `shownFrom`, until now). The file holds every session started in the
 * range, not just the section's rows: the API follows its pages to the end, and refuses a range holding more than its
 * bound with a reason said here (cloud/api/sessions-in-range.ts). An empty field leaves that end open (from the
 * first session, until now).
 */
import { el } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import type { PageContext } from '../page-context';
import { csvDownload } from './csv-download';

const MINUTE_MS = 60_000;

/** `at` as a datetime-local value (local time, to the minute). */
function localMinute(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

function rangeField(id: string, label: string, at: number): { field: HTMLElement; input: HTMLInputElement } {
  const input = el('input', { id, type: 'datetime-local', value: localMinute(at) });
  return { field: el('span', { class: 'field-check' }, el('label', { for: id }, label), input), input };
}

export function sessionsExport(ctx: PageContext, siteId: string, shownFrom: number): HTMLElement {
  // Whole minutes that hold the section's range: from rounded down, to rounded up past now.
  const from = rangeField('sessions-from', t('console.site.exportFrom'), shownFrom);
  const to = rangeField('sessions-to', t('console.site.exportTo'), ctx.now() + MINUTE_MS);
  const path = () => {
    const query = new URLSearchParams();
    // A datetime-local value has no offset, so Date reads it as local time, as the field shows it.
    if (from.input.value !== '') query.set('from', String(new Date(from.input.value).getTime()));
    if (to.input.value !== '') query.set('to', String(new Date(to.input.value).getTime()));
    return `/sites/${encodeURIComponent(siteId)}/sessions.csv?${query.toString()}`;
  };
  return el(
    'span',
    { class: 'section-head' },
    from.field,
    to.field,
    csvDownload(ctx, path, `${siteId}-sessions.csv`, t('console.site.downloadSessions')),
  );
}
