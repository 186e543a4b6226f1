/**
 * The charging profiles the agent sent the charger (fail-safe, idle hold, leases), newest first per connector, with the
 * charger's answer and when it came: what the charger was told, beside what it reports it holds.
 */
import type { SentProfilesAnswer, SentProfileView } from '../../../../shared/dashboard/sent-profiles-answer';
import { dataTable } from '../../../ui/data-table';
import { el } from '../../../ui/element';
import { formatNumber, formatTime } from '../../../ui/i18n/format';
import { t } from '../../../ui/i18n/i18n';

type Row = SentProfileView & { readonly connectorId: number };

const limits = (row: Row): string =>
  row.periods
    .map((p) =>
      t('dashboard.chargerConfig.period', {
        from: formatNumber(p.startPeriod, 0),
        limit: `${formatNumber(p.limit, 1)} ${row.rateUnit}`,
      }),
    )
    .join('; ');

const runs = (row: Row): string => {
  if (row.validTo !== null) return t('dashboard.sentProfiles.validTo', { at: formatTime(Date.parse(row.validTo)) });
  if (row.durationSeconds !== null)
    return t('dashboard.sentProfiles.duration', { seconds: formatNumber(row.durationSeconds, 0) });
  return t('dashboard.sentProfiles.untilReplaced');
};

/**
 * OCPP's own words (a purpose, a status, an error code) stay as the charger and the spec write them: identifiers, not
 * English prose, so marked not to translate (the German page tests leave such words out).
 */
const ocpp = (word: string) => el('span', { lang: 'en', translate: 'no' }, word);

const profile = (row: Row): HTMLElement =>
  el(
    'span',
    {},
    t(`dashboard.sentProfiles.kinds.${row.kind}`),
    ' (',
    ocpp(row.purpose),
    `, ${t('dashboard.sentProfiles.stackLevel', { level: String(row.stackLevel) })})`,
  );

const answer = (row: Row): HTMLElement => {
  const outcome =
    row.outcome === 'answered'
      ? row.status === null
        ? t('dashboard.sentProfiles.outcomes.unreadable')
        : ocpp(row.status)
      : row.outcome === 'error'
        ? el('span', {}, `${t('dashboard.sentProfiles.outcomes.error')} `, ocpp(row.status ?? ''))
        : t(`dashboard.sentProfiles.outcomes.${row.outcome}`);
  return el(
    'span',
    {},
    outcome,
    row.answeredAt === null ? '' : ` ${t('dashboard.sentProfiles.answeredAt', { at: formatTime(row.answeredAt) })}`,
  );
};

export function sentProfilesSection(sent: SentProfilesAnswer) {
  const rows: Row[] = sent.connectors.flatMap((c) => c.profiles.map((p) => ({ ...p, connectorId: c.connectorId })));
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'sent-profiles-heading' },
    el('h2', { id: 'sent-profiles-heading' }, t('dashboard.sentProfiles.heading')),
    el('p', { class: 'muted' }, t('dashboard.sentProfiles.intro')),
    rows.length === 0
      ? el('p', { 'data-testid': 'sent-profiles-none' }, t('dashboard.sentProfiles.none'))
      : dataTable({
          caption: t('dashboard.sentProfiles.caption', { id: sent.chargerId }),
          testId: 'sent-profiles',
          rows,
          columns: [
            {
              header: t('dashboard.chargerConfig.connector'),
              cell: (r) => (r.connectorId === 0 ? t('dashboard.sentProfiles.wholeCharger') : String(r.connectorId)),
            },
            { header: t('dashboard.sentProfiles.sentAt'), cell: (r) => formatTime(r.sentAt) },
            { header: t('dashboard.sentProfiles.profile'), cell: profile },
            { header: t('dashboard.sentProfiles.limits'), cell: limits },
            { header: t('dashboard.sentProfiles.runs'), cell: runs },
            { header: t('dashboard.sentProfiles.answer'), cell: answer },
          ],
        }),
  );
}
