/**
 * Saving a site version from any part of the site page: checked in the browser with the shared SiteSchema first, then
 * sent on the basis of the version the page shows; every issue lands at its field (the browser's or the server's 400),
 * and an edit based on a version no longer in force (409) says so instead of overwriting it.
 */
import type { FieldIssue } from '../../../../shared/errors';
import { SiteSchema, type SiteInput } from '../../../../shared/site/site-schema';
import {
  SiteInForceAnswerSchema,
  type SiteInForceAnswer,
  type SiteVersionView,
} from '../../../../shared/dashboard/site-setup-answers';
import { parseWith } from '../../../../shared/validation';
import { t } from '../../../ui/i18n/i18n';
import { ApiError, apiErrorText, describeError } from '../../../ui/json-api';
import type { LiveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';

export type SaveOutcome = { readonly saved: SiteInForceAnswer } | { readonly issues: readonly FieldIssue[] } | null;

/** The site's own issues, at paths relative to the site (`circuits[0].fuseAmps`). */
export function siteIssues(site: SiteInput): FieldIssue[] {
  const parsed = parseWith(SiteSchema, site);
  return parsed.ok ? [] : parsed.issues;
}

/** A request's issues at the site's own paths: `site.circuits[0].fuseAmps` → `circuits[0].fuseAmps`. */
export const withinSite = (issues: readonly FieldIssue[]): FieldIssue[] =>
  issues.map((i) => (i.path.startsWith('site.') ? { ...i, path: i.path.slice('site.'.length) } : i));

/** Who saved a version, in the page's language: a user's name, or the site file. */
export const authorOf = (version: SiteVersionView): string =>
  version.source === 'file' ? t('dashboard.versions.sources.file') : version.author;

/** What a refused site call says: the stale-version message for a 409, the error otherwise. */
export function refusal(error: unknown): string {
  if (error instanceof ApiError && error.status === 409)
    return t('dashboard.site.stale', { message: apiErrorText(error) });
  return t('dashboard.site.notSaved', { error: describeError(error) });
}

export async function saveSite(
  ctx: PageContext,
  baseVersion: number,
  site: SiteInput,
  status: LiveRegion,
): Promise<SaveOutcome> {
  const issues = siteIssues(site);
  if (issues.length > 0) {
    status.say(t('dashboard.site.errors', { count: issues.length }), 'error');
    return { issues };
  }
  try {
    const saved = await ctx.api.send('PUT', '/site', { baseVersion, site }, SiteInForceAnswerSchema);
    status.say(t('dashboard.site.saved', { version: String(saved.version) }), 'ok');
    return { saved };
  } catch (error) {
    status.say(refusal(error), 'error');
    if (error instanceof ApiError && error.status === 400) return { issues: withinSite(error.details) };
    return null;
  }
}
