/**
 * The OCPP configuration keys the agent sets on every boot or reads to build its limits: changing one by hand is undone
 * at the next boot, or makes the agent's profiles wrong until then. Keys are case-insensitive (CiString). Each says
 * why by a reason (shared/managed-key-messages.ts), so the charger configuration page says it in the page's language.
 */
import { MANAGED_KEY_MESSAGES, type ManagedKeyReason } from '../../shared/managed-key-messages';

const MANAGED: Readonly<Record<string, ManagedKeyReason>> = {
  MeterValueSampleInterval: 'sampleInterval',
  MeterValuesSampledData: 'sampledData',
  ChargingScheduleAllowedChargingRateUnit: 'rateUnit',
  ChargeProfileMaxStackLevel: 'stackLevel',
  ChargingScheduleMaxPeriods: 'schedulePeriods',
  ConnectorPhaseRotation: 'phaseRotation',
  NumberOfConnectors: 'connectors',
  AuthorizationKey: 'authorizationKey',
};

const BY_LOWER = new Map(Object.entries(MANAGED).map(([key, reason]) => [key.toLowerCase(), reason]));

/** Why the agent manages `key` (its English text and reason), or undefined when it leaves it to the installer. */
export function managedKeySaid(key: string): { message: string; reason: `managedKey.${ManagedKeyReason}` } | undefined {
  const reason = BY_LOWER.get(key.toLowerCase());
  return reason === undefined ? undefined : { message: MANAGED_KEY_MESSAGES[reason], reason: `managedKey.${reason}` };
}
