/**
 * The site and its grid connection: name, time zone, the main fuse and the grid meter of the root circuit. On a site
 * with no chargers yet it is the first-run setup, and says so; budget and mode are the load management page's.
 */
import type { FieldIssue } from '../../../../shared/errors';
import type { SiteInForceAnswer } from '../../../../shared/dashboard/site-setup-answers';
import type { SiteInput } from '../../../../shared/site/site-schema';
import { el } from '../../../ui/element';
import { textField } from '../../../ui/form-fields';
import { t } from '../../../ui/i18n/i18n';
import { liveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';
import { fuseField } from './fuse-field';
import { placedIssues } from './placed-issues';
import { saveSite } from './site-save';

export function siteBasicsForm(
  ctx: PageContext,
  answer: SiteInForceAnswer,
  onSaved: (saved: SiteInForceAnswer) => void,
) {
  const { site } = answer;
  const rootIndex = Math.max(
    0,
    site.circuits.findIndex((c) => c.parent === null),
  );
  const root = `circuits[${rootIndex}]`;
  const fields = [
    textField({ path: 'name', label: t('dashboard.site.name') }),
    textField({ path: 'timezone', label: t('dashboard.site.timezone'), hint: t('dashboard.site.timezoneHint') }),
    fuseField(`${root}.fuseAmps`, t('dashboard.site.gridFuse'), t('dashboard.site.fuseHint')),
    textField({
      path: `${root}.meterId`,
      label: t('dashboard.site.gridMeter'),
      hint: t('dashboard.site.gridMeterHint'),
    }),
  ];
  const [name, timezone, fuse, meter] = fields;
  name?.write(site.name);
  timezone?.write(site.timezone);
  fuse?.write(site.circuits[rootIndex]?.fuseAmps);
  meter?.write(site.circuits[rootIndex]?.meterId);
  const status = liveRegion('site-basics-status');
  const save = el('button', { type: 'submit', class: 'primary' }, t('dashboard.site.save'));

  const draft = (): SiteInput => {
    const base = structuredClone(site) as SiteInput;
    return {
      ...base,
      name: name?.read() as string | undefined,
      timezone: timezone?.read() as string,
      circuits: base.circuits.map((c, i) => {
        if (i !== rootIndex) return c;
        const { meterId: _dropped, ...rest } = c;
        const meterId = meter?.read() as string | undefined;
        return {
          ...rest,
          fuseAmps: fuse?.read() as SiteInput['circuits'][number]['fuseAmps'],
          ...(meterId && { meterId }),
        };
      }),
    };
  };
  const summary = placedIssues('site-basics-errors');
  const show = (issues: readonly FieldIssue[]) => summary.show(fields, issues);
  const submit = async () => {
    save.disabled = true;
    const outcome = await saveSite(ctx, answer.version, draft(), status);
    save.disabled = false;
    if (outcome && 'issues' in outcome) show(outcome.issues);
    if (outcome && 'saved' in outcome) onSaved(outcome.saved);
  };

  const empty = site.chargers.length === 0;
  return el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'site-basics-heading',
      'data-testid': 'site-basics',
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void submit()),
    },
    el('h2', { id: 'site-basics-heading' }, empty ? t('dashboard.site.firstRun') : t('dashboard.site.basics')),
    empty ? el('p', {}, t('dashboard.site.firstRunIntro')) : null,
    summary.node,
    ...fields.map((f) => f.node),
    el(
      'p',
      { class: 'muted' },
      t('dashboard.site.budgetOnLoad'),
      ' ',
      el('a', { href: '#/load' }, t('dashboard.sections.load')),
    ),
    el('div', { class: 'actions' }, save),
    status.node,
  );
}
