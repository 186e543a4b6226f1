/**
 * The site: its basics and grid connection (the first-run setup while it has no chargers), the chargers waiting to be
 * adopted, the fuse tree with its chargers, and the versions kept. Every part edits the version the page shows; after
 * a save the page shows the new version in force.
 */
import { SiteInForceAnswerSchema, type SiteInForceAnswer } from '../../../shared/dashboard/site-setup-answers';
import { el, replaceChildren } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import type { Page, PageContext } from '../page-context';
import { adoptionSection } from './site/adoption-section';
import { circuitTreeEditor } from './site/circuit-tree-editor';
import { meterTestReadSection } from './site/meter-test-read-section';
import { siteBasicsForm } from './site/site-basics-form';
import { authorOf } from './site/site-save';
import { siteVersionsSection } from './site/site-versions-section';

export function sitePage(ctx: PageContext): Page {
  const status = liveRegion('site-status');
  const holder = el('div', {}, t('dashboard.site.loading'));
  const show = (answer: SiteInForceAnswer) => {
    status.say(t('dashboard.site.inForce', { version: String(answer.version), author: authorOf(answer) }));
    replaceChildren(
      holder,
      siteBasicsForm(ctx, answer, show),
      meterTestReadSection(ctx, answer, show),
      adoptionSection(ctx, answer, show),
      circuitTreeEditor(ctx, answer, show),
      siteVersionsSection(ctx, answer, show),
    );
  };
  void ctx.api
    .get('/site', SiteInForceAnswerSchema)
    .then(show, (error: unknown) =>
      status.say(t('dashboard.site.cannotRead', { error: describeError(error) }), 'error'),
    );
  return { title: t('dashboard.sections.site'), node: el('div', {}, status.node, holder) };
}
