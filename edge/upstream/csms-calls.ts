/**
 * The CSMS's calls to a charger behind the agent (docs/csms.md, "What the CSMS sees"): passed down as the CSMS sent
 * them, with the transaction id the charger knows, except what would undo the agent's own work on the charger. The
 * CSMS's TxProfiles and TxDefaultProfiles are kept by the agent (they cap its leases) rather than stacked on the
 * charger; a profile or a clear naming one of the agent's profile ids, and a change of a configuration key the agent
 * set at boot, are refused; the CSMS's GetCompositeSchedule is answered with what is in force.
 */
import ocppRpc from 'ocpp-rpc';
import type { Logger } from 'pino';
import { FAIL_SAFE_PROFILE_ID, IDLE_HOLD_PROFILE_ID, LEASE_PROFILE_ID_BASE } from '../ocpp/charging-profile';
import { SendLocalListSchema, type SqliteUpstreamAuthorizationStore } from '../store/upstream-authorization-store';
import type { SqliteUpstreamForwardLog } from '../store/upstream-forward-log';
import type { CompositeAnswers } from './composite-answers';
import { isPayload, type Payload } from './ocpp-payload';
import { configurationRefusal, type AgentConfiguration } from './protected-configuration';
import { rewriteTransactionId } from './transaction-id-rewrite';
import type { UpstreamConfig } from './upstream-config';
import type { UpstreamLimits } from './upstream-limits-port';

const { createRPCError } = ocppRpc;

/** The charger's side: calls to it share its one queue with the agent's own (ocpp-rpc gives each our message id). */
export interface ChargerCaller {
  call(method: string, params: unknown, timeoutMs: number): Promise<unknown>;
}

export interface CsmsCallDeps {
  readonly chargerId: string;
  /** What the agent configures on the charger at boot, which the CSMS may not undo. */
  readonly configuration: AgentConfiguration;
  readonly settings: Pick<UpstreamConfig, 'callTimeoutMs'>;
  readonly log: Pick<SqliteUpstreamForwardLog, 'provisionalIdOf'>;
  readonly authorization: Pick<SqliteUpstreamAuthorizationStore, 'clearCache' | 'applyLocalList'>;
  readonly limits: UpstreamLimits;
  /** Answers the CSMS's GetCompositeSchedule with what is in force; without it the charger answers. */
  readonly composite: CompositeAnswers | undefined;
  readonly charger: ChargerCaller;
  readonly logger: Logger;
}

/** A call from the CSMS to the charger, and the answer the CSMS gets. */
export async function answerCsmsCall(deps: CsmsCallDeps, method: string, params: unknown): Promise<Payload> {
  const { chargerId, log, limits } = deps;
  const payload = isPayload(params)
    ? rewriteTransactionId(method, params, (realId) => log.provisionalIdOf(chargerId, realId))
    : {};
  if (method === 'SetChargingProfile' && profilePurpose(payload.csChargingProfiles) !== 'ChargePointMaxProfile') {
    // Not kept (a cluster's ledger did not take it): Rejected is what OCPP 1.6 has for a profile not in force.
    const status = await limits.record(chargerId, method, payload).catch((error: unknown) => {
      deps.logger.error({ err: error, chargerId }, 'CSMS charging profile not kept');
      return 'Rejected' as const;
    });
    return { status: status === 'Unknown' ? 'Rejected' : status };
  }
  if (method === 'ClearChargingProfile' && payload.chargingProfilePurpose !== 'ChargePointMaxProfile') {
    // Not kept: the clear's answer has no Rejected, and Unknown would tell the CSMS no profile is left; a CALLERROR
    // (InternalError) says it was not done, and the profiles stay in force.
    const status = await limits.record(chargerId, method, payload).catch((error: unknown) => {
      deps.logger.error({ err: error, chargerId }, 'CSMS clear of charging profiles not kept');
      throw createRPCError('InternalError', 'the clear could not be kept; the profiles stay in force', {}) as Error;
    });
    return { status: status === 'Rejected' ? 'Unknown' : status };
  }
  // A profile with one of the agent's ids would replace (or a clear by id remove) its fail-safe or a lease on the
  // charger, whatever its purpose (OCPP 1.6: the same chargingProfileId replaces): refused, never forwarded.
  if (method === 'SetChargingProfile' && isAgentProfileId(profileId(payload.csChargingProfiles)))
    return { status: 'Rejected' };
  if (method === 'ClearChargingProfile' && isAgentProfileId(payload.id)) return { status: 'Unknown' };
  const refusal = method === 'ChangeConfiguration' ? configurationRefusal(payload, deps.configuration) : undefined;
  if (refusal !== undefined) {
    deps.logger.warn({ chargerId, key: payload.key, reason: refusal }, 'CSMS configuration change refused');
    return { status: 'Rejected' };
  }
  // The CSMS wants no tag accepted offline from what it said before (a revoked card): the agent, which answers for
  // it offline from the same kind of cache, forgets first, whatever the charger answers.
  if (method === 'ClearCache') deps.authorization.clearCache();
  const composite = method === 'GetCompositeSchedule' ? deps.composite?.answer(chargerId, payload) : undefined;
  if (composite !== undefined) return composite;
  const answer = await deps.charger.call(
    method,
    method === 'RemoteStartTransaction' ? withoutProfile(payload) : payload,
    deps.settings.callTimeoutMs,
  );
  if (!isPayload(answer)) throw createRPCError('GenericError', 'the charger gave no answer', {}) as Error;
  if (method === 'RemoteStartTransaction' && answer.status === 'Accepted' && payload.chargingProfile !== undefined) {
    const connectorId = typeof payload.connectorId === 'number' ? payload.connectorId : undefined;
    limits.remoteStart(chargerId, connectorId, payload.chargingProfile);
  }
  if (method === 'SendLocalList' && answer.status === 'Accepted') {
    const list = SendLocalListSchema.safeParse(payload);
    if (list.success) deps.authorization.applyLocalList(chargerId, list.data);
  }
  return answer;
}

/** Connector ids run from 1 to 99 (ConnectorRefSchema), and so do the agent's lease profile ids above their base. */
const MAX_CONNECTOR_ID = 99;

/** The charging profile ids the agent's own profiles use on every charger (its fail-safe, idle hold and leases). */
function isAgentProfileId(id: unknown): boolean {
  return (
    typeof id === 'number' &&
    (id === FAIL_SAFE_PROFILE_ID ||
      id === IDLE_HOLD_PROFILE_ID ||
      (id > LEASE_PROFILE_ID_BASE && id <= LEASE_PROFILE_ID_BASE + MAX_CONNECTOR_ID))
  );
}

function profileId(profile: unknown): unknown {
  return isPayload(profile) ? profile.chargingProfileId : undefined;
}

/**
 * A RemoteStartTransaction without the CSMS's charging profile: on the charger it would sit on the stack beside the
 * agent's lease and could raise the car above what the site allows. The agent keeps it instead, as the TxProfile of
 * the transaction the call starts (`UpstreamLimits.remoteStart`): the lease is capped by it.
 */
function withoutProfile(payload: Payload): Payload {
  if (payload.chargingProfile === undefined) return payload;
  const { chargingProfile: _kept, ...rest } = payload;
  return rest;
}

function profilePurpose(profile: unknown): unknown {
  return isPayload(profile) ? profile.chargingProfilePurpose : undefined;
}
