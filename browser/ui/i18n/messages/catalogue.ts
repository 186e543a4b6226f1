/**
 * The two catalogues as typed data: each German part is typed as its English part (`typeof commonEn`), so a key
 * missing from (or added only to) one language does not type-check; test/unit/browser/ui/catalogues.test.ts checks
 * the placeholders match.
 */
import type { Locale } from '../locale';
import { commonDe } from './common-de';
import { commonEn } from './common-en';
import { consoleDe } from './console-de';
import { consoleEn } from './console-en';
import { dashboardDe } from './dashboard-de';
import { dashboardEn } from './dashboard-en';
import { errorsDe } from './errors-de';
import { errorsEn } from './errors-en';
import { policyDe } from './policy-de';
import { policyEn } from './policy-en';

const en = { common: commonEn, policy: policyEn, dashboard: dashboardEn, console: consoleEn, errors: errorsEn };
export type Catalogue = typeof en;

export const CATALOGUES: Record<Locale, Catalogue> = {
  en,
  de: { common: commonDe, policy: policyDe, dashboard: dashboardDe, console: consoleDe, errors: errorsDe },
};
