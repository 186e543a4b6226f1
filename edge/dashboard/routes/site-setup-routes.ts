/**
 * The site as versioned data on the dashboard: read the version in force (the site and its meters), change it on the
 * basis of a version, preview a change, list and restore versions, export the site as a file; and the chargers that
 * dialled in unknown, with their adoption. Every change is audited and reported (docs/dashboard.md, "Site setup").
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type {
  SiteInForceAnswer,
  SitePreviewAnswer,
  SiteVersionsAnswer,
  UnknownChargerAnswer,
  UnknownChargersAnswer,
  UnknownChargerView,
} from '../../../shared/dashboard/site-setup-answers';
import { AppError } from '../../../shared/errors';
import { reasonedIssue } from '../../../shared/reasoned-issue';
import { IdSchema, SiteSchema } from '../../../shared/site/site-schema';
import { MeterConfigListSchema } from '../../meter/meter-config';
import type { UnknownCharger } from '../../store/unknown-charger-store';
import { AdoptRequestSchema, siteWithCharger, suggestEntry } from '../actions/charger-adoption';
import { previewSite } from '../actions/site-changes';
import type { DashboardServices } from '../dashboard-services';
import type { SiteSetupHandle } from '../dashboard-ports';
import type { DashboardContext, DashboardEnv } from '../http/dashboard-env';
import { jsonBody, pathParam } from '../http/json-input';

/** `meters`, the site file's `meters[]`: absent, the meters in force stay. */
const SiteChangeRequestSchema = z
  .object({ baseVersion: z.number().int().min(0), site: SiteSchema, meters: MeterConfigListSchema.optional() })
  .strict();
const SitePreviewRequestSchema = z.object({ site: SiteSchema, meters: MeterConfigListSchema.optional() }).strict();
const RestoreRequestSchema = z.object({ baseVersion: z.number().int().min(0) }).strict();
const VersionSchema = z.coerce.number().int().min(1);

export function siteSetupRoutes(services: DashboardServices, setup: SiteSetupHandle) {
  const { deps, audit } = services;
  const { changes, unknown } = setup;
  const author = (c: DashboardContext) => c.get('session').user;
  const view = (u: UnknownCharger): UnknownChargerView => ({
    identity: u.identity,
    remoteAddress: u.remoteAddress ?? null,
    firstAt: u.firstAt,
    lastAt: u.lastAt,
    attempts: u.attempts,
    held: u.held,
    connected: deps.commands.isConnected(u.identity),
    vendor: u.vendor ?? null,
    model: u.model ?? null,
    firmware: u.firmware ?? null,
  });
  const candidate = (c: DashboardContext): UnknownCharger => {
    const identity = pathParam(c, 'id', IdSchema);
    const found = unknown.find(identity);
    if (found === undefined) throw new AppError('resource.notFound', `no charger "${identity}" waits for adoption`);
    return found;
  };

  // Open pages show the chargers of the version in force.
  const changed = () =>
    services.live.publish('devices', () => ({ basicAuth: deps.basicAuth, chargers: services.devices() }));

  const app = new Hono<DashboardEnv>();
  app.get('/site', (c) => c.json<SiteInForceAnswer>(changes.inForce()));
  app.put('/site', async (c) => {
    const request = await jsonBody(c, SiteChangeRequestSchema, 'site change', 'site.invalid');
    const saved = await changes.change({ ...request, author: author(c), source: 'edit' });
    audit.change(c, 'site.change', {
      version: saved.version,
      baseVersion: request.baseVersion,
      ...(request.meters && { meters: request.meters.map((m) => m.meterId).join(', ') }),
    });
    changed();
    return c.json<SiteInForceAnswer>(saved);
  });
  app.post('/site/preview', async (c) => {
    const { site, meters } = await jsonBody(c, SitePreviewRequestSchema, 'site preview', 'site.invalid');
    changes.check(site, meters);
    const allocation = previewSite(deps.control.snapshot(), site, deps.control.policy, deps.clock.now(), deps.allocate);
    return c.json<SitePreviewAnswer>({ allocation });
  });
  app.get('/site/versions', (c) => c.json<SiteVersionsAnswer>({ versions: changes.history() }));
  app.get('/site/versions/:version', (c) => {
    const version = pathParam(c, 'version', VersionSchema);
    const found = changes.version(version);
    if (found === undefined) throw new AppError('resource.notFound', `site version ${version} is not kept`);
    return c.json<SiteInForceAnswer>({ ...found, meters: found.meters ?? null });
  });
  app.post('/site/versions/:version/restore', async (c) => {
    const version = pathParam(c, 'version', VersionSchema);
    const { baseVersion } = await jsonBody(c, RestoreRequestSchema, 'restore');
    const saved = await changes.restore(version, baseVersion, author(c));
    audit.change(c, 'site.restore', { restored: version, version: saved.version, baseVersion });
    changed();
    return c.json<SiteInForceAnswer>(saved);
  });
  // The version in force as the two sections of the configuration file it came from: `site` and `meters`.
  app.get('/site/export', (c) => {
    const { version, site, meters } = changes.inForce();
    audit.change(c, 'site.export', { version });
    return c.body(`${JSON.stringify({ site, meters }, null, 2)}\n`, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="site-${site.id}-v${version}.json"`,
      'Cache-Control': 'no-store',
    });
  });

  app.get('/site/unknown-chargers', (c) => c.json<UnknownChargersAnswer>({ chargers: unknown.list().map(view) }));
  app.get('/site/unknown-chargers/:id', async (c) => {
    const found = candidate(c);
    const suggestion = await suggestEntry(found.identity, deps.commands);
    return c.json<UnknownChargerAnswer>({
      ...view(found),
      suggestion: { connectors: suggestion.connectors ?? null, phaseRotation: suggestion.phaseRotation ?? null },
    });
  });
  app.post('/site/unknown-chargers/:id/adopt', async (c) => {
    const { identity } = candidate(c);
    const request = await jsonBody(c, AdoptRequestSchema, 'adoption');
    if (deps.basicAuth && request.password === undefined)
      throw AppError.because('message.invalid', 'adoption.passwordNeeded', undefined, [
        reasonedIssue('password', { reason: 'adoption.passwordRequired' }),
      ]);
    const site = siteWithCharger(changes.inForce().site, identity, request);
    changes.check(site);
    // The password first: the charger, sent to connect again once the version is in force, must find it.
    if (request.password !== undefined)
      await deps.chargers.setDashboardPassword(
        identity,
        await deps.admin.hasher.hash(request.password),
        deps.clock.now(),
      );
    const saved = await changes.change({
      site,
      baseVersion: request.baseVersion,
      author: author(c),
      source: 'adoption',
    });
    unknown.forget(identity);
    audit.change(c, 'charger.adopt', { chargerId: identity, circuit: request.circuit, version: saved.version });
    changed();
    return c.json<SiteInForceAnswer>(saved);
  });
  return app;
}
