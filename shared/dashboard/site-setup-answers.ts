/** What the dashboard's site setup API answers (edge/dashboard/routes/site-setup-routes.ts); the page reads the types. */
import type { Allocation } from '../allocation/allocation-types';
import type { Site } from '../site/site-schema';
import type { PhaseRotation } from '../units';

/** One saved version of the site, without the site itself. */
export interface SiteVersionView {
  readonly version: number;
  readonly author: string;
  /** `file`: imported from the site file at a start; `edit`, `adoption`, `restore`: on the dashboard. */
  readonly source: 'file' | 'edit' | 'adoption' | 'restore';
  readonly savedAt: number;
}

export interface SiteInForceAnswer extends SiteVersionView {
  readonly site: Site;
}

export interface SiteVersionsAnswer {
  readonly versions: readonly SiteVersionView[];
}

export interface SitePreviewAnswer {
  readonly allocation: Allocation;
}

export interface UnknownChargerView {
  readonly identity: string;
  readonly remoteAddress: string | null;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly attempts: number;
  /** Held as Pending (connected now or last time), so what it reports can prefill its entry. */
  readonly held: boolean;
  readonly connected: boolean;
  readonly vendor: string | null;
  readonly model: string | null;
  readonly firmware: string | null;
}

export interface UnknownChargersAnswer {
  readonly chargers: readonly UnknownChargerView[];
}

export interface UnknownChargerAnswer extends UnknownChargerView {
  /** What the charger reported when asked now (GetConfiguration), to prefill its entry. */
  readonly suggestion: { readonly connectors: number | null; readonly phaseRotation: PhaseRotation | null };
}
