/**
 * Where an allocation's budget came from, in words. The engine calls the policy's own budget `static` (as against a
 * schedule's); shown raw it read "(static)" on a site in dynamic mode, where the meter's headroom also binds.
 */
import type { BudgetSource } from '../../shared/allocation/allocation-types';
import { t } from './i18n/i18n';

export function budgetSourceText(source: BudgetSource): string {
  return t(`common.budgetSource.${source}`);
}
