/** What the allocator derives from one site object and keeps while it is handed that same object. */
import type { Site } from '../site/site-schema';
import { constraintLabels, constraintLayout, type ConstraintLayout } from './constraint-set';
import { siteTopology, type SiteTopology } from './site-topology';

export interface SiteModel {
  readonly site: Site;
  readonly topology: SiteTopology;
  readonly layout: ConstraintLayout;
  /** Readable constraint names, each built the first time an allocation needs it. */
  readonly labelOf: (c: number) => string;
}

/** Builds the model of a site: its topology, constraint layout and constraint names. */
export function siteModel(site: Site): SiteModel {
  const topology = siteTopology(site);
  const layout = constraintLayout(topology);
  return { site, topology, layout, labelOf: constraintLabels(topology, layout) };
}
