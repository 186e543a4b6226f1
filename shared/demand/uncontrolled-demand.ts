/**
 * The site's import had the chargers been uncapped, for the money peak-demand control saves (docs/demand-control.md,
 * "Money saved"): the other load at the grid connection plus every car present drawing the most it takes. An upper
 * estimate for the time a car is plugged in; see the document for its limits.
 */
import type { Allocation } from '../allocation/allocation-types';
import type { Site } from '../site/site-schema';

/** What the chargers would draw now without any cap (W): each connector with a car at the most that car takes. */
export function uncappedChargerWatts(allocation: Allocation, site: Site): number {
  let watts = 0;
  for (const c of allocation.connectors) {
    if (c.activity === 'idle') continue;
    const charger = site.chargers.find((ch) => ch.id === c.chargerId);
    if (charger === undefined) continue;
    const connector = charger.connectors.find((k) => k.id === c.connectorId);
    const maxAmps = Math.min(connector?.maxAmps ?? charger.maxAmps, charger.maxAmps);
    watts += Math.min(maxAmps, c.carCapAmps ?? maxAmps) * c.phases * site.nominalVolts;
  }
  return watts;
}

/** The site's import without control (W): the root circuit's other load plus the uncapped chargers; undefined while its meter is lost or absent. */
export function uncontrolledImportWatts(allocation: Allocation, site: Site): number | undefined {
  const root = site.circuits.find((c) => c.parent === null);
  const load = allocation.circuits.find((c) => c.id === root?.id);
  if (load?.otherLoadAmps === undefined || load.meter !== 'ok') return undefined;
  const otherWatts = load.otherLoadAmps.reduce((sum, amps) => sum + Math.max(0, amps), 0) * site.nominalVolts;
  return otherWatts + uncappedChargerWatts(allocation, site);
}
