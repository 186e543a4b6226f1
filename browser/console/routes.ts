/** Hash routes of the console: `#/sites`, `#/sites/{id}`, `#/sites/{id}/policy`, `#/rollout`, `#/login`. */

export type Route =
  | { readonly name: 'login' }
  | { readonly name: 'sites' }
  | { readonly name: 'site'; readonly siteId: string }
  | { readonly name: 'policy'; readonly siteId: string }
  | { readonly name: 'rollout' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id, tail] = parts;
  if (head === 'login') return { name: 'login' };
  if (head === 'rollout') return { name: 'rollout' };
  if (head === 'sites' && id !== undefined && tail === 'policy') return { name: 'policy', siteId: id };
  if (head === 'sites' && id !== undefined) return { name: 'site', siteId: id };
  return { name: 'sites' };
}

export const siteHref = (siteId: string) => `#/sites/${encodeURIComponent(siteId)}`;
export const policyHref = (siteId: string) => `#/sites/${encodeURIComponent(siteId)}/policy`;
