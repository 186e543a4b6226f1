/**
 * The site as the allocator sees it under limits another party (the operator's CSMS) sets on connectors: a capped
 * connector's maximum is lowered to its ceiling, or to 0 (a pause) when that is below its minimum, so the current it
 * cannot use goes to the others. The same object while the ceilings stay the same, so the allocator's caches hold.
 */
import type { Site } from '../../shared/site/site-schema';
import type { ConnectorCeilings } from './control-ports';

export class CeilingSite {
  private last: { readonly base: Site; readonly key: string; readonly site: Site } | undefined;

  constructor(private readonly ceilings: ConnectorCeilings) {}

  /** `base` with each capped connector's `maxAmps` lowered; `phasesOf` tells the phases a connector's car charges on. */
  of(base: Site, phasesOf: (chargerId: string, connectorId: number) => 1 | 2 | 3 | undefined): Site {
    const caps: string[] = [];
    const chargers = base.chargers.map((charger) => {
      let changed = false;
      const connectors = charger.connectors.map((connector) => {
        const phases = phasesOf(charger.id, connector.id) ?? charger.phases;
        const ceiling = this.ceilings.ceilingAmps(charger.id, connector.id, phases);
        const max = Math.min(connector.maxAmps ?? charger.maxAmps, charger.maxAmps);
        if (ceiling === undefined || ceiling >= max) return connector;
        const maxAmps = ceiling < (connector.minAmps ?? charger.minAmps) ? 0 : ceiling;
        caps.push(`${charger.id}/${connector.id}:${maxAmps}`);
        changed = true;
        return { ...connector, maxAmps };
      });
      return changed ? { ...charger, connectors } : charger;
    });
    if (caps.length === 0) return base;
    const key = caps.join(',');
    if (this.last?.base === base && this.last.key === key) return this.last.site;
    const site = { ...base, chargers };
    this.last = { base, key, site };
    return site;
  }
}
