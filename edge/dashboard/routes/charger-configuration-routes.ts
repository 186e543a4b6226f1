/**
 * A connected charger's OCPP configuration and service actions on the dashboard: every key it reports
 * (GetConfiguration), a change of one (ChangeConfiguration, with a warning on the keys the agent manages), what the
 * agent allocates each connector next to the charger's composite schedule (GetCompositeSchedule), the charging profiles
 * the agent sent it with its answers, and Reset, UnlockConnector and TriggerMessage. Each change is audited with the
 * charger's answer.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type {
  ChargerCallAnswer,
  ChargerConfigurationAnswer,
  ChargerSchedulesAnswer,
} from '../../../shared/dashboard/charger-configuration-answers';
import type { SentProfilesAnswer } from '../../../shared/dashboard/sent-profiles-answer';
import { AppError } from '../../../shared/errors';
import { IdSchema, type Charger } from '../../../shared/site/site-schema';
import { TRIGGERABLE_MESSAGES } from '../../ocpp/central-system-commands';
import { managedKeySaid } from '../../ocpp/managed-configuration-keys';
import { callCharger } from '../actions/charger-calls';
import type { DashboardServices } from '../dashboard-services';
import { limitBody } from '../http/body-limit';
import type { DashboardContext, DashboardEnv } from '../http/dashboard-env';
import { jsonBody, pathParam } from '../http/json-input';

/** The largest of these bodies is a configuration value (500 characters). */
const CALL_MAX_BODY_BYTES = 4 * 1024;
/** How far ahead the composite schedule is asked for. */
const COMPOSITE_SECONDS = 3600;

/** OCPP 1.6 ChangeConfiguration.req: key CiString50, value CiString500. */
const ConfigurationChangeSchema = z.object({ key: z.string().min(1).max(50), value: z.string().max(500) }).strict();
const ResetRequestSchema = z.object({ type: z.enum(['Soft', 'Hard']) }).strict();
const UnlockRequestSchema = z.object({ connectorId: z.number().int().min(1).max(99) }).strict();
const TriggerRequestSchema = z
  .object({ requestedMessage: z.enum(TRIGGERABLE_MESSAGES), connectorId: z.number().int().min(1).max(99).optional() })
  .strict();

export function chargerConfigurationRoutes(services: DashboardServices) {
  const { deps, audit } = services;
  const chargerOf = (c: DashboardContext): Charger => {
    const id = pathParam(c, 'id', IdSchema);
    const charger = deps.reader.site.chargers.find((k) => k.id === id);
    if (charger === undefined) throw new AppError('resource.notFound', `no charger "${id}" on this site`);
    return charger;
  };
  const connectorOf = (charger: Charger, connectorId: number | undefined, path: string) => {
    if (connectorId !== undefined && !charger.connectors.some((k) => k.id === connectorId))
      throw new AppError('message.invalid', `charger "${charger.id}" has no connector ${connectorId}`, [
        { path, message: `not a connector of ${charger.id}` },
      ]);
  };
  const call = (c: DashboardContext, charger: Charger, action: string, details: object, status: string) => {
    audit.change(c, action, { chargerId: charger.id, ...details, status });
    return c.json<ChargerCallAnswer>({ chargerId: charger.id, status });
  };

  const app = new Hono<DashboardEnv>();
  app.get('/chargers/:id/configuration', async (c) => {
    const charger = chargerOf(c);
    const answer = await callCharger(deps.commands, charger.id, 'GetConfiguration', {});
    return c.json<ChargerConfigurationAnswer>({
      chargerId: charger.id,
      keys: (answer.configurationKey ?? [])
        .map((k) => {
          const managed = managedKeySaid(k.key);
          return {
            key: k.key,
            readonly: k.readonly,
            value: k.value ?? null,
            managed: managed?.message ?? null,
            managedReason: managed?.reason ?? null,
          };
        })
        .sort((a, b) => a.key.localeCompare(b.key)),
      unknownKeys: answer.unknownKey ?? [],
    });
  });
  app.put('/chargers/:id/configuration', limitBody(CALL_MAX_BODY_BYTES), async (c) => {
    const charger = chargerOf(c);
    const { key, value } = await jsonBody(c, ConfigurationChangeSchema, 'configuration change');
    const { status } = await callCharger(deps.commands, charger.id, 'ChangeConfiguration', { key, value });
    // The value stays out of the log: a key may hold a secret (AuthorizationKey, a network password).
    return call(c, charger, 'charger.configure', { key, managed: managedKeySaid(key) !== undefined }, status);
  });
  app.get('/chargers/:id/schedules', async (c) => {
    const charger = chargerOf(c);
    if (!deps.commands.isConnected(charger.id))
      throw new AppError('resource.conflict', `charger "${charger.id}" is not connected: its schedules need it online`);
    const allocated = deps.control.allocation?.connectors.filter((k) => k.chargerId === charger.id) ?? [];
    const connectors: ChargerSchedulesAnswer['connectors'] = [];
    // One call at a time: OCPP-J allows one call in flight per direction.
    for (const { id: connectorId } of charger.connectors) {
      const mine = allocated.find((k) => k.connectorId === connectorId);
      const composite = await callCharger(deps.commands, charger.id, 'GetCompositeSchedule', {
        connectorId,
        duration: COMPOSITE_SECONDS,
        chargingRateUnit: 'A',
      }).then(
        (answer) => ({
          status: answer.status,
          scheduleStart: answer.scheduleStart ?? null,
          chargingRateUnit: answer.chargingSchedule?.chargingRateUnit ?? null,
          periods: answer.chargingSchedule?.chargingSchedulePeriod ?? [],
        }),
        (error: unknown) => ({ error: error instanceof AppError ? error.message : 'the call failed' }),
      );
      connectors.push({
        connectorId,
        allocatedAmps: mine?.amps ?? null,
        reason: mine?.reason ?? null,
        composite,
      });
    }
    return c.json<ChargerSchedulesAnswer>({ chargerId: charger.id, connectors });
  });
  // From the agent's own record: the charger need not be connected.
  app.get('/chargers/:id/sent-profiles', (c) => {
    const charger = chargerOf(c);
    return c.json<SentProfilesAnswer>({ chargerId: charger.id, connectors: deps.sentProfiles.of(charger.id) });
  });
  app.post('/chargers/:id/reset', limitBody(CALL_MAX_BODY_BYTES), async (c) => {
    const charger = chargerOf(c);
    const { type } = await jsonBody(c, ResetRequestSchema, 'reset');
    const { status } = await callCharger(deps.commands, charger.id, 'Reset', { type });
    return call(c, charger, 'charger.reset', { type }, status);
  });
  app.post('/chargers/:id/unlock', limitBody(CALL_MAX_BODY_BYTES), async (c) => {
    const charger = chargerOf(c);
    const { connectorId } = await jsonBody(c, UnlockRequestSchema, 'unlock');
    connectorOf(charger, connectorId, 'connectorId');
    const { status } = await callCharger(deps.commands, charger.id, 'UnlockConnector', { connectorId });
    return call(c, charger, 'charger.unlock', { connectorId }, status);
  });
  app.post('/chargers/:id/trigger', limitBody(CALL_MAX_BODY_BYTES), async (c) => {
    const charger = chargerOf(c);
    const request = await jsonBody(c, TriggerRequestSchema, 'trigger');
    connectorOf(charger, request.connectorId, 'connectorId');
    const { status } = await callCharger(deps.commands, charger.id, 'TriggerMessage', request);
    return call(c, charger, 'charger.trigger', request, status);
  });
  return app;
}
