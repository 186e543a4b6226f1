/** The connector reference `<chargerId>/<connectorId>` (e.g. `CP-1/1`): how policies, states and allocations name a connector. */
import { z } from 'zod';
import { patternMessage } from '../reasoned-issue';
import type { Site } from './site-schema';

/**
 * A charger id (IdSchema: no `/` in it) and a connector id (ConnectorSchema: 1 to 99, no leading zero) joined by the
 * one `/`, so every reference names exactly one connector and has exactly one spelling.
 */
export const ConnectorRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,48}\/[1-9][0-9]?$/, patternMessage('site.connectorRef'));
export type ConnectorRef = z.infer<typeof ConnectorRefSchema>;

/** The charger and the connector a reference names. */
export interface ConnectorAddress {
  readonly chargerId: string;
  readonly connectorId: number;
}

/** The reference of connector `connectorId` of charger `chargerId`. */
export function formatConnectorRef(chargerId: string, connectorId: number): ConnectorRef {
  return `${chargerId}/${connectorId}`;
}

/** The charger and connector `ref` names, or undefined when `ref` is not a valid reference (see ConnectorRefSchema). */
export function parseConnectorRef(ref: string): ConnectorAddress | undefined {
  if (!ConnectorRefSchema.safeParse(ref).success) return undefined;
  const slash = ref.indexOf('/');
  return { chargerId: ref.slice(0, slash), connectorId: Number(ref.slice(slash + 1)) };
}

/** Every connector reference of `site`, charger by charger in the site's order. */
export function siteConnectorRefs(site: Pick<Site, 'chargers'>): ConnectorRef[] {
  return site.chargers.flatMap((charger) =>
    charger.connectors.map((connector) => formatConnectorRef(charger.id, connector.id)),
  );
}
