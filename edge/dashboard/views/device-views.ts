/** The device management table: every configured charger with what it reported, what the agent stores and its connectors' states. */
import type { SiteSnapshot } from '../../../shared/allocation/allocation-types';
import type { Policy } from '../../../shared/policy/policy-schema';
import { formatConnectorRef } from '../../../shared/site/connector-ref';
import type { Charger } from '../../../shared/site/site-schema';
import type { ConnectorState } from '../../../shared/site/site-state';
import type { ChargerView } from '../../../shared/dashboard/api-answers';
import type { ChargerActivity } from '../live/charger-activity';
import type { ChargerStore, DashboardDeps } from '../dashboard-ports';

export interface DeviceSources {
  readonly snapshot: SiteSnapshot;
  readonly policy: Policy;
  readonly chargers: ChargerStore;
  readonly activity: ChargerActivity;
  /** Refs of connectors adopted at run time: the installer is told to add them to the site file. */
  readonly adopted: ReadonlySet<string>;
}

/** What the device views read, as it is now. */
export const deviceSources = (deps: DashboardDeps): DeviceSources => ({
  snapshot: deps.control.snapshot(),
  policy: deps.control.policy,
  chargers: deps.chargers,
  activity: deps.feed.activity,
  adopted: new Set(deps.reader.adoptedRefs()),
});

/** The refs of a charger's connectors. */
export const connectorRefs = (charger: Charger): string[] =>
  charger.connectors.map((k) => formatConnectorRef(charger.id, k.id));

export function chargerView(charger: Charger, sources: DeviceSources): ChargerView {
  const states = new Map<string, ConnectorState>(sources.snapshot.connectors.map((c) => [c.ref, c]));
  const record = sources.chargers.record(charger.id);
  const policyVip = new Set(sources.policy.vip.connectors);
  const refs = connectorRefs(charger);
  return {
    id: charger.id,
    ip: sources.activity.ip(charger.id) ?? null,
    vendor: record.vendor ?? charger.vendor ?? null,
    model: record.model ?? charger.model ?? null,
    firmware: record.firmware ?? null,
    link: states.get(refs[0] ?? '')?.link ?? 'offline',
    enabled: record.enabled,
    phases: charger.phases,
    phaseRotation: charger.phaseRotation,
    reportedPhaseRotation: sources.activity.reportedPhaseRotation(charger.id) ?? null,
    maxAmps: charger.maxAmps,
    minAmps: charger.minAmps,
    vip: {
      site: charger.vip || charger.connectors.some((k) => k.vip === true),
      policy: refs.some((ref) => policyVip.has(ref)),
    },
    password: { set: record.hasPassword, setAt: record.passwordSetAt ?? null },
    lastBootAt: record.lastBootAt ?? null,
    connectors: charger.connectors.map((k) => {
      const ref = formatConnectorRef(charger.id, k.id);
      return {
        id: k.id,
        ref,
        status: states.get(ref)?.status ?? 'Available',
        fault: sources.activity.fault(charger.id, k.id) ?? null,
        maxAmps: Math.min(k.maxAmps ?? charger.maxAmps, charger.maxAmps),
        vip: charger.vip || k.vip === true || policyVip.has(ref),
        adopted: sources.adopted.has(ref),
      };
    }),
  };
}

export function chargerViews(chargers: readonly Charger[], sources: DeviceSources): ChargerView[] {
  return chargers.map((charger) => chargerView(charger, sources));
}
