/**
 * What an installer can change on a charger from the dashboard: switch it off or on (OCPP ChangeAvailability, kept
 * across restarts and sent again when it reconnects), set or generate its Basic auth password (stored as a hash the
 * central system checks the next connection against, and sent to the charger as `AuthorizationKey` when it is
 * connected), and make its connectors VIP through the policy.
 */
import { randomBytes } from 'node:crypto';
import { PolicySchema, type Policy } from '../../../shared/policy/policy-schema';
import type { Charger } from '../../../shared/site/site-schema';
import { englishMessage, type MessageRef } from '../../../shared/server-messages';
import { parseOrThrow } from '../../../shared/validation';
import type { CommandName } from '../../ocpp/central-system-commands';
import type { CommandResult } from '../../ocpp/command-sender';
import type { ChargerActionAnswer } from '../../../shared/dashboard/api-answers';
import type { ChargerPasswordRequest } from '../routes/api-requests';
import type { PasswordHasher } from '../auth/admin-account';
import type { ChargerCommands, ChargerStore } from '../dashboard-ports';
import { connectorRefs } from '../views/device-views';

/** An action's answer without the charger, its reasons typed as the table's (an event line says them again). */
export type ActionOutcome = Omit<ChargerActionAnswer, 'charger' | 'reasons'> & { readonly reasons: MessageRef[] };

/** The OCPP 1.6 security whitepaper's configuration key for the Basic auth password. */
export const AUTHORIZATION_KEY = 'AuthorizationKey';

type ChargerAction = 'switchOn' | 'switchOff' | 'password';

/** An outcome with its message in English and as reasons the page translates. */
export function actionOutcome(kind: ActionOutcome['outcome'], reasons: readonly MessageRef[]): ActionOutcome {
  return { outcome: kind, message: reasons.map(englishMessage).join('; '), reasons: [...reasons] };
}

/** What a command's result means for the installer who asked for `action`. */
function told<K extends CommandName>(
  result: CommandResult<K>,
  action: ChargerAction,
): { kind: ActionOutcome['outcome']; ref: MessageRef } {
  const what = { ref: `chargerAction.${action}` } as const;
  switch (result.kind) {
    case 'accepted':
      return { kind: 'accepted', ref: { reason: 'charger.accepted', params: { what } } };
    case 'rejected': {
      const status = 'status' in result.response ? String(result.response.status) : 'Rejected';
      return status === 'NotSupported'
        ? { kind: 'notSupported', ref: { reason: 'charger.notSupported', params: { what } } }
        : { kind: 'rejected', ref: { reason: 'charger.rejected', params: { what, status } } };
    }
    case 'notConnected':
      return { kind: 'notConnected', ref: { reason: 'charger.notConnected', params: { what } } };
    case 'timeout':
      return { kind: 'failed', ref: { reason: 'charger.timeout', params: { what } } };
    case 'error':
      return { kind: 'failed', ref: { reason: 'charger.error', params: { what, code: result.code } } };
  }
}

/** Stores the switch and tells the charger (connector 0: the whole charger). */
export async function switchCharger(
  chargerId: string,
  enabled: boolean,
  deps: { chargers: ChargerStore; commands: ChargerCommands },
): Promise<ActionOutcome> {
  await deps.chargers.setEnabled(chargerId, enabled);
  const result = await deps.commands.command(chargerId, 'ChangeAvailability', {
    connectorId: 0,
    type: enabled ? 'Operative' : 'Inoperative',
  });
  const answer = told(result, enabled ? 'switchOn' : 'switchOff');
  return actionOutcome(answer.kind, [answer.ref]);
}

/** A password the charger can take: 24 characters of base64url (OCPP allows 16 to 40). */
export function generateChargerPassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function setChargerPassword(
  chargerId: string,
  request: ChargerPasswordRequest,
  deps: { chargers: ChargerStore; commands: ChargerCommands; hasher: PasswordHasher; now: () => number },
): Promise<ActionOutcome> {
  const password = request.mode === 'set' ? request.password : generateChargerPassword();
  await deps.chargers.setDashboardPassword(chargerId, await deps.hasher.hash(password), deps.now());
  const result = await deps.commands.command(chargerId, 'ChangeConfiguration', {
    key: AUTHORIZATION_KEY,
    value: password,
  });
  const { kind, ref } = told(result, 'password');
  const answer = actionOutcome(kind, kind === 'accepted' ? [ref] : [ref, { reason: 'charger.enterPassword' }]);
  return request.mode === 'generate' ? { ...answer, generatedPassword: password } : answer;
}

/** The policy with the charger's connectors added to or removed from the VIP connectors, validated again. */
export function policyWithVipCharger(policy: Policy, charger: Charger, vip: boolean): Policy {
  const refs = new Set(connectorRefs(charger));
  const others = policy.vip.connectors.filter((ref) => !refs.has(ref));
  const connectors = vip ? [...others, ...refs] : others;
  return parseOrThrow(PolicySchema, { ...policy, vip: { ...policy.vip, connectors } }, 'policy.invalid', 'policy');
}
