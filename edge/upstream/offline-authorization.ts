/**
 * Who may charge while the CSMS is out of reach: the CSMS's own local list for the charger (mirrored from its
 * SendLocalList), then the tags it accepted within the cache's maximum age, then the site's rule for unknown tags.
 */
import type { IdTagInfo } from '../ocpp/ocpp-values';
import type { SqliteUpstreamAuthorizationStore, StoredIdTagInfo } from '../store/upstream-authorization-store';
import type { UnknownTagRule } from './upstream-config';

export interface OfflineAuthorizationRules {
  readonly unknownTags: UnknownTagRule;
  readonly freeCharging: boolean;
  readonly authorizationCacheMaxAgeSeconds: number;
}

/** The IdTagInfo the agent answers for `idTag` while the CSMS cannot. */
export function authorizeOffline(
  store: SqliteUpstreamAuthorizationStore,
  rules: OfflineAuthorizationRules,
  chargerId: string,
  idTag: string,
  now: number,
): IdTagInfo {
  const listed = store.localListEntry(chargerId, idTag);
  if (listed !== undefined) return checkedExpiry(listed, now);
  const cached = store.cached(idTag);
  if (cached !== undefined && now - cached.cachedAt <= rules.authorizationCacheMaxAgeSeconds * 1000) {
    return checkedExpiry(cached.info, now);
  }
  const accept = rules.unknownTags === 'accept' || (rules.unknownTags === 'acceptIfFree' && rules.freeCharging);
  return { status: accept ? 'Accepted' : 'Invalid' };
}

/** An accepted tag past the expiry date the CSMS gave it is Expired. */
function checkedExpiry(info: StoredIdTagInfo, now: number): IdTagInfo {
  const expiry = info.expiryDate === undefined ? Number.NaN : Date.parse(info.expiryDate);
  if (info.status === 'Accepted' && expiry <= now) return { ...info, status: 'Expired' };
  return { ...info };
}
