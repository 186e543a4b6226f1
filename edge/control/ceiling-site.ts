/**
 * The site as the allocator sees it under limits another party (the operator's CSMS) sets on connectors: a capped
 * connector's maximum is lowered to its ceiling, or to 0 (a pause) when that is below its minimum, so the current it
 * cannot use goes to the others; and a car the ceiling limits to fewer phases is counted on those only, so the current
 * of the phases it no longer draws on goes to the others too. The same site object while the ceilings stay the same,
 * so the allocator's caches hold.
 */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Site } from '../../shared/site/site-schema';
import type { ConnectorCeilings } from './control-ports';

/** The site under the ceilings, and the phases each connector's car is limited to (by ref), where that is fewer. */
export interface CeiledSite {
  readonly site: Site;
  readonly phases: ReadonlyMap<string, 1 | 2 | 3>;
}

const NO_PHASE_LIMITS: ReadonlyMap<string, 1 | 2 | 3> = new Map();

export class CeilingSite {
  private last: { readonly base: Site; readonly key: string; readonly site: Site } | undefined;

  constructor(private readonly ceilings: ConnectorCeilings) {}

  /** `base` with each capped connector's `maxAmps` lowered; `phasesOf` tells the phases a connector's car charges on. */
  of(base: Site, phasesOf: (chargerId: string, connectorId: number) => 1 | 2 | 3 | undefined): CeiledSite {
    const caps: string[] = [];
    const phases = new Map<string, 1 | 2 | 3>();
    const chargers = base.chargers.map((charger) => {
      let changed = false;
      const connectors = charger.connectors.map((connector) => {
        const carPhases = phasesOf(charger.id, connector.id) ?? charger.phases;
        const ceiling = this.ceilings.ceiling(charger.id, connector.id, carPhases);
        if (ceiling !== undefined && ceiling.phases < carPhases)
          phases.set(formatConnectorRef(charger.id, connector.id), ceiling.phases);
        const max = Math.min(connector.maxAmps ?? charger.maxAmps, charger.maxAmps);
        if (ceiling === undefined || ceiling.amps >= max) return connector;
        const maxAmps = ceiling.amps < (connector.minAmps ?? charger.minAmps) ? 0 : ceiling.amps;
        caps.push(`${charger.id}/${connector.id}:${maxAmps}`);
        changed = true;
        return { ...connector, maxAmps };
      });
      return changed ? { ...charger, connectors } : charger;
    });
    const limited = phases.size === 0 ? NO_PHASE_LIMITS : phases;
    if (caps.length === 0) return { site: base, phases: limited };
    const key = caps.join(',');
    if (this.last?.base === base && this.last.key === key) return { site: this.last.site, phases: limited };
    const site = { ...base, chargers };
    this.last = { base, key, site };
    return { site, phases: limited };
  }
}
