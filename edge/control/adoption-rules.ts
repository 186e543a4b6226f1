/**
 * The rules for connectors a listed charger reports that its site entry does not list (a dual-socket charger entered
 * with the default one connector): when one may be adopted under that charger's entry, and the site that then holds it.
 */
import type { MessageRef } from '../../shared/server-messages';
import type { Site } from '../../shared/site/site-schema';

/** The site schema's own bound on a charger's connectors: an adopted connector must keep the site valid. */
export const MAX_CONNECTORS_PER_CHARGER = 10;

export type AdoptionDecision =
  | { readonly kind: 'listed' }
  | { readonly kind: 'adopt' }
  | { readonly kind: 'refuse'; readonly reason: MessageRef };

/**
 * Whether connector `connectorId` of `chargerId` is listed, can be adopted or must be refused. `reportedConnectors` is the charger's own `NumberOfConnectors`, when it told us.
 */
export function decideAdoption(
  site: Site,
  chargerId: string,
  connectorId: number,
  reportedConnectors: number | undefined,
): AdoptionDecision {
  const charger = site.chargers.find((c) => c.id === chargerId);
  if (charger === undefined)
    return { kind: 'refuse', reason: { reason: 'event.adoptionRefused.notInSite', params: { chargerId } } };
  if (charger.connectors.some((c) => c.id === connectorId)) return { kind: 'listed' };
  if (!Number.isInteger(connectorId) || connectorId < 1)
    return { kind: 'refuse', reason: { reason: 'event.adoptionRefused.notConnectorId', params: { connectorId } } };
  if (reportedConnectors !== undefined && connectorId > reportedConnectors) {
    return {
      kind: 'refuse',
      reason: { reason: 'event.adoptionRefused.beyondReported', params: { connectorId, reported: reportedConnectors } },
    };
  }
  if (connectorId > MAX_CONNECTORS_PER_CHARGER || charger.connectors.length >= MAX_CONNECTORS_PER_CHARGER) {
    return {
      kind: 'refuse',
      reason: { reason: 'event.adoptionRefused.tooMany', params: { connectorId, max: MAX_CONNECTORS_PER_CHARGER } },
    };
  }
  return { kind: 'adopt' };
}

/**
 * A new site in which the charger also has connector `connectorId`, with no values of its own: it takes the charger's
 * minimum, priority and VIP flag, shares the charger's maximum with its other connectors and stays under its circuit.
 * The given site is left as it is (sites are values: the allocator caches by identity).
 */
export function withConnector(site: Site, chargerId: string, connectorId: number): Site {
  return {
    ...site,
    chargers: site.chargers.map((charger) =>
      charger.id !== chargerId
        ? charger
        : { ...charger, connectors: [...charger.connectors, { id: connectorId }].sort((a, b) => a.id - b.id) },
    ),
  };
}
