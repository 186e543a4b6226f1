/**
 * Why the agent manages an OCPP configuration key (edge/ocpp/managed-configuration-keys.ts), in English, keyed by a
 * stable reason under `managedKey.` in shared/server-messages.ts (German: browser/ui/i18n/messages/managed-keys-de.ts):
 * the charger configuration page says it beside the key in the page's language.
 */
export const MANAGED_KEY_MESSAGES = {
  sampleInterval: 'set by the agent at every boot: the control loop judges cars on samples this fresh',
  sampledData: 'set by the agent at every boot: per-phase currents must arrive',
  rateUnit: 'read by the agent at boot to choose the unit of its limits',
  stackLevel: 'read by the agent at boot to stack its limits over the fail-safe',
  schedulePeriods: 'read by the agent at boot to size its schedules',
  phaseRotation: 'read by the agent at boot: the allocation counts each phase by it',
  connectors: 'read by the agent at boot to know the connectors',
  authorizationKey: 'the password the agent checks: set it on the device management page',
};

export type ManagedKeyReason = keyof typeof MANAGED_KEY_MESSAGES;
