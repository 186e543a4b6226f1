/** The allocations table: per connector what the car asks for, what it got and why, with the charger's address and model. */
import type { Allocation, SiteSnapshot } from '../../../shared/allocation/allocation-types';
import type { Site } from '../../../shared/site/site-schema';
import { REQUESTING_STATUSES, type ConnectorState } from '../../../shared/site/site-state';
import type { AllocationsAnswer } from '../../../shared/dashboard/api-answers';
import type { ChargerActivity } from '../live/charger-activity';
import type { ChargerStore } from '../dashboard-ports';

export interface AllocationSources {
  readonly site: Site;
  readonly snapshot: SiteSnapshot;
  readonly chargers: ChargerStore;
  readonly activity: ChargerActivity;
}

export function allocationsAnswer(allocation: Allocation | undefined, sources: AllocationSources): AllocationsAnswer {
  if (allocation === undefined) return { at: null, budget: null, totalAmps: null, rows: [] };
  const chargers = new Map(sources.site.chargers.map((c) => [c.id, c]));
  const states = new Map<string, ConnectorState>(sources.snapshot.connectors.map((c) => [c.ref, c]));
  const models = new Map<string, string | null>();
  const modelOf = (chargerId: string) => {
    if (!models.has(chargerId))
      models.set(chargerId, sources.chargers.record(chargerId).model ?? chargers.get(chargerId)?.model ?? null);
    return models.get(chargerId) ?? null;
  };
  const rows = allocation.connectors.map((a) => {
    const charger = chargers.get(a.chargerId);
    const connector = charger?.connectors.find((k) => k.id === a.connectorId);
    const state = states.get(a.ref);
    const wants = state?.session !== undefined && REQUESTING_STATUSES.has(state.status);
    const limit = charger === undefined ? 0 : Math.min(connector?.maxAmps ?? charger.maxAmps, charger.maxAmps);
    return {
      ref: a.ref,
      chargerId: a.chargerId,
      connectorId: a.connectorId,
      ip: sources.activity.ip(a.chargerId) ?? null,
      model: modelOf(a.chargerId),
      vip: a.vip,
      status: state?.status ?? 'Available',
      link: state?.link ?? 'offline',
      requestedAmps: wants ? limit : 0,
      allocatedAmps: a.amps,
      phaseAmps: [...a.phaseAmps] as [number, number, number],
      phases: a.phases,
      activity: a.activity,
      reason: a.reason,
      boundBy: a.boundBy ?? null,
    };
  });
  return {
    at: allocation.at,
    budget: { ...allocation.budget },
    totalAmps: [...allocation.totalAmps] as [number, number, number],
    rows,
  };
}
