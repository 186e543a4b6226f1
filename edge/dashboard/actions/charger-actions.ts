/**
 * What an installer can change on a charger from the dashboard: switch it off or on (OCPP ChangeAvailability, kept
 * across restarts and sent again when it reconnects), set or generate its Basic auth password (stored as a hash the
 * central system checks the next connection against, and sent to the charger as `AuthorizationKey` when it is
 * connected), and make its connectors VIP through the policy.
 */
import { randomBytes } from 'node:crypto';
import { PolicySchema, type Policy } from '../../../shared/policy/policy-schema';
import type { Charger } from '../../../shared/site/site-schema';
import { parseOrThrow } from '../../../shared/validation';
import type { CommandName } from '../../ocpp/central-system-commands';
import type { CommandResult } from '../../ocpp/command-sender';
import type { ChargerActionAnswer } from '../../../shared/dashboard/api-answers';
import type { ChargerPasswordRequest } from '../routes/api-requests';
import type { PasswordHasher } from '../auth/admin-account';
import type { ChargerCommands, ChargerStore } from '../dashboard-ports';
import { connectorRefs } from '../views/device-views';

export type ActionOutcome = Omit<ChargerActionAnswer, 'charger'>;

/** The OCPP 1.6 security whitepaper's configuration key for the Basic auth password. */
export const AUTHORIZATION_KEY = 'AuthorizationKey';

function outcomeOf<K extends CommandName>(result: CommandResult<K>, what: string): ActionOutcome {
  switch (result.kind) {
    case 'accepted':
      return { outcome: 'accepted', message: `the charger accepted ${what}` };
    case 'rejected': {
      const status = 'status' in result.response ? String(result.response.status) : 'Rejected';
      return status === 'NotSupported'
        ? { outcome: 'notSupported', message: `the charger does not support ${what}` }
        : { outcome: 'rejected', message: `the charger refused ${what} (${status})` };
    }
    case 'notConnected':
      return {
        outcome: 'notConnected',
        message: `the charger is not connected: ${what} is stored and applies when it connects`,
      };
    case 'timeout':
      return { outcome: 'failed', message: `the charger did not answer ${what} in time` };
    case 'error':
      return { outcome: 'failed', message: `the charger answered ${what} with an error (${result.code})` };
  }
}

/** Stores the switch and tells the charger (connector 0: the whole charger). */
export async function switchCharger(
  chargerId: string,
  enabled: boolean,
  deps: { chargers: ChargerStore; commands: ChargerCommands },
): Promise<ActionOutcome> {
  deps.chargers.setEnabled(chargerId, enabled);
  const result = await deps.commands.command(chargerId, 'ChangeAvailability', {
    connectorId: 0,
    type: enabled ? 'Operative' : 'Inoperative',
  });
  return outcomeOf(result, enabled ? 'being switched on' : 'being switched off');
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
  deps.chargers.setDashboardPassword(chargerId, await deps.hasher.hash(password), deps.now());
  const result = await deps.commands.command(chargerId, 'ChangeConfiguration', {
    key: AUTHORIZATION_KEY,
    value: password,
  });
  const told = outcomeOf(result, 'the new password');
  const outcome: ActionOutcome =
    told.outcome === 'accepted'
      ? told
      : { ...told, message: `${told.message}; enter the new password on the charger, or it cannot connect again` };
  return request.mode === 'generate' ? { ...outcome, generatedPassword: password } : outcome;
}

/** The policy with the charger's connectors added to or removed from the VIP connectors, validated again. */
export function policyWithVipCharger(policy: Policy, charger: Charger, vip: boolean): Policy {
  const refs = new Set(connectorRefs(charger));
  const others = policy.vip.connectors.filter((ref) => !refs.has(ref));
  const connectors = vip ? [...others, ...refs] : others;
  return parseOrThrow(PolicySchema, { ...policy, vip: { ...policy.vip, connectors } }, 'policy.invalid', 'policy');
}
