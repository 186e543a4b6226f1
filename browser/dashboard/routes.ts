/** The dashboard's hash routes: `#/setup/<token>` and one route per section. */

/** The sections in menu order; each one's label is `dashboard.sections.<route>` in the catalogues. */
export const SECTIONS = [
  'cluster',
  'network',
  'devices',
  'load',
  'allocations',
  'monitoring',
  'upstream',
  'site',
  'demand',
  'chargerConfig',
] as const;

export type Section = (typeof SECTIONS)[number];
export type Route = { readonly name: 'setup'; readonly token: string } | { readonly name: Section };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'setup') return { name: 'setup', token: decodeURIComponent(parts[1] ?? '') };
  return { name: SECTIONS.find((s) => s === parts[0]) ?? 'allocations' };
}
