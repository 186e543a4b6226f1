/** Cluster settings and device management: read the cluster and the chargers; switch, VIP and password per charger. */
import { Hono } from 'hono';
import { AppError } from '../../../shared/errors';
import { asParam, type ServerReason } from '../../../shared/server-messages';
import { IdSchema, type Charger } from '../../../shared/site/site-schema';
import type { ChargerActionAnswer, DevicesAnswer } from '../../../shared/dashboard/api-answers';
import type { ClusterAnswer } from '../../../shared/dashboard/cluster-answer';
import {
  ChargerEnabledRequestSchema,
  ChargerPasswordRequestSchema,
  ChargerVipRequestSchema,
  ElectionChangeRequestSchema,
} from './api-requests';
import {
  actionOutcome,
  policyWithVipCharger,
  setChargerPassword,
  switchCharger,
  type ActionOutcome,
} from '../actions/charger-actions';
import { clusterNodeStatus, monitoringState } from '../views/cluster-status';
import type { DashboardServices } from '../dashboard-services';
import { chargerView, deviceSources } from '../views/device-views';
import type { DashboardContext, DashboardEnv } from '../http/dashboard-env';
import { jsonBody, pathParam } from '../http/json-input';
import { eventLine } from '../live/event-line';

export function siteRoutes(services: DashboardServices) {
  const { deps, audit } = services;
  // Actions work on the charger of the site version in force (a VIP switch names its listed connectors only); views
  // show the live one, with the connectors adopted at run time.
  const chargerOf = (c: DashboardContext): Charger => {
    const id = pathParam(c, 'id', IdSchema);
    const charger = deps.reader.configuredSite.chargers.find((k) => k.id === id);
    if (charger === undefined) throw new AppError('resource.notFound', `no charger "${id}" on this site`);
    return charger;
  };
  const answer = (charger: Charger, outcome: ActionOutcome): ChargerActionAnswer => ({
    charger: chargerView(deps.reader.site.chargers.find((c) => c.id === charger.id) ?? charger, deviceSources(deps)),
    ...outcome,
  });
  // The event line of an action, with what the charger answered (the action's reasons, said one after the other).
  const actionLine = (chargerId: string, reason: ServerReason, outcome: ActionOutcome) =>
    eventLine(deps.clock.now(), 'info', chargerId, { reason, params: { outcome: outcome.reasons.map(asParam) } });
  const changed = () =>
    services.live.publish('devices', () => ({ basicAuth: deps.basicAuth, chargers: services.devices() }));

  const app = new Hono<DashboardEnv>();
  const clusterAnswer = async (): Promise<ClusterAnswer> => ({
    siteId: deps.reader.configuredSite.id,
    siteName: deps.reader.configuredSite.name ?? null,
    monitoringState: monitoringState(deps.control.allocation),
    node: await clusterNodeStatus(deps.cluster),
  });
  app.get('/cluster', async (c) => c.json(await clusterAnswer()));
  app.put('/cluster/election', async (c) => {
    const { version, ...setting } = await jsonBody(c, ElectionChangeRequestSchema, 'election');
    if (deps.cluster === undefined) throw AppError.because('resource.conflict', 'cluster.noCluster');
    await deps.cluster.changeElection(setting, version);
    audit.change(c, 'cluster.election', { ...setting, baseVersion: version });
    return c.json(await clusterAnswer());
  });
  app.get('/chargers', (c) => c.json<DevicesAnswer>({ basicAuth: deps.basicAuth, chargers: services.devices() }));
  app.put('/chargers/:id/enabled', async (c) => {
    const charger = chargerOf(c);
    const { enabled } = await jsonBody(c, ChargerEnabledRequestSchema, 'charger switch');
    const outcome = await switchCharger(charger.id, enabled, deps);
    audit.change(c, enabled ? 'charger.enable' : 'charger.disable', {
      chargerId: charger.id,
      outcome: outcome.outcome,
    });
    deps.feed.addEvent(actionLine(charger.id, enabled ? 'event.switchedOn' : 'event.switchedOff', outcome));
    changed();
    return c.json(answer(charger, outcome));
  });
  app.put('/chargers/:id/vip', async (c) => {
    const charger = chargerOf(c);
    const { vip } = await jsonBody(c, ChargerVipRequestSchema, 'charger VIP');
    services.policy.apply(policyWithVipCharger(deps.control.policy, charger, vip));
    audit.change(c, 'charger.vip', { chargerId: charger.id, vip });
    changed();
    const made = { reason: vip ? 'charger.vipOn' : 'charger.vipOff', params: { id: charger.id } } as const;
    const notes = deps.control.policy.vip.enabled ? [] : [{ reason: 'charger.vipDisabled' } as const];
    return c.json(answer(charger, actionOutcome('accepted', [made, ...notes])));
  });
  app.put('/chargers/:id/password', async (c) => {
    const charger = chargerOf(c);
    const request = await jsonBody(c, ChargerPasswordRequestSchema, 'charger password');
    const outcome = await setChargerPassword(charger.id, request, {
      ...deps,
      hasher: deps.admin.hasher,
      now: () => deps.clock.now(),
    });
    audit.change(c, 'charger.password', { chargerId: charger.id, mode: request.mode, outcome: outcome.outcome });
    deps.feed.addEvent(
      actionLine(charger.id, request.mode === 'set' ? 'event.passwordSet' : 'event.passwordGenerated', outcome),
    );
    changed();
    return c.json(answer(charger, outcome));
  });
  return app;
}
