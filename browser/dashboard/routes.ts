/** The dashboard's hash routes: `#/setup/<token>` and one route per section. */

export const SECTIONS = [
  { route: 'cluster', label: 'Cluster settings' },
  { route: 'devices', label: 'Device management' },
  { route: 'load', label: 'Load management' },
  { route: 'allocations', label: 'Allocations' },
  { route: 'monitoring', label: 'Device monitoring' },
  { route: 'upstream', label: 'CSMS link' },
] as const;

export type Section = (typeof SECTIONS)[number]['route'];
export type Route = { readonly name: 'setup'; readonly token: string } | { readonly name: Section };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'setup') return { name: 'setup', token: decodeURIComponent(parts[1] ?? '') };
  return { name: SECTIONS.find((s) => s.route === parts[0])?.route ?? 'allocations' };
}
