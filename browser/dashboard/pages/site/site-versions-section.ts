/** The site versions kept (newest first), each but the one in force restorable as a new version. */
import {
  SiteInForceAnswerSchema,
  SiteVersionsAnswerSchema,
  type SiteInForceAnswer,
  type SiteVersionView,
} from '../../../../shared/dashboard/site-setup-answers';
import { dataTable } from '../../../ui/data-table';
import { el, replaceChildren } from '../../../ui/element';
import { formatTime } from '../../../ui/i18n/format';
import { t } from '../../../ui/i18n/i18n';
import { describeError } from '../../../ui/json-api';
import { liveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';
import { authorOf, refusal } from './site-save';

export function siteVersionsSection(
  ctx: PageContext,
  answer: SiteInForceAnswer,
  onSaved: (saved: SiteInForceAnswer) => void,
) {
  const holder = el('div', {}, t('dashboard.versions.loading'));
  const status = liveRegion('versions-status');
  const restore = async (version: number) => {
    try {
      const saved = await ctx.api.send(
        'POST',
        `/site/versions/${version}/restore`,
        { baseVersion: answer.version },
        SiteInForceAnswerSchema,
      );
      status.say(t('dashboard.versions.restored', { version: String(version), saved: String(saved.version) }), 'ok');
      onSaved(saved);
    } catch (error) {
      status.say(refusal(error), 'error');
    }
  };
  const show = (versions: readonly SiteVersionView[]) =>
    replaceChildren(
      holder,
      dataTable({
        caption: t('dashboard.versions.caption'),
        testId: 'site-versions',
        rows: versions,
        columns: [
          { header: t('dashboard.versions.version'), cell: (v) => v.version, numeric: true },
          { header: t('dashboard.versions.author'), cell: authorOf },
          { header: t('dashboard.versions.source'), cell: (v) => t(`dashboard.versions.sources.${v.source}`) },
          { header: t('dashboard.versions.savedAt'), cell: (v) => formatTime(v.savedAt) },
          {
            header: t('dashboard.versions.action'),
            cell: (v) =>
              v.version === answer.version
                ? t('dashboard.versions.inForce')
                : el(
                    'button',
                    { type: 'button', onclick: () => void restore(v.version) },
                    t('dashboard.versions.restore', { version: String(v.version) }),
                  ),
          },
        ],
      }),
    );
  void ctx.api.get('/site/versions', SiteVersionsAnswerSchema).then(
    (a) => show(a.versions),
    (error: unknown) => status.say(t('dashboard.versions.cannotRead', { error: describeError(error) }), 'error'),
  );
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'versions-heading' },
    el('h2', { id: 'versions-heading' }, t('dashboard.versions.heading')),
    el(
      'p',
      { class: 'muted' },
      t('dashboard.versions.export'),
      ' ',
      el('a', { href: '/api/site/export', download: true }, t('dashboard.versions.exportLink')),
    ),
    holder,
    status.node,
  );
}
