/**
 * The OCPP configuration keys the agent sets on every boot or reads to build its limits: changing one by hand is undone
 * at the next boot, or makes the agent's profiles wrong until then. Keys are case-insensitive (CiString).
 */
const MANAGED: Readonly<Record<string, string>> = {
  MeterValueSampleInterval: 'set by the agent at every boot: the control loop judges cars on samples this fresh',
  MeterValuesSampledData: 'set by the agent at every boot: per-phase currents must arrive',
  ChargingScheduleAllowedChargingRateUnit: 'read by the agent at boot to choose the unit of its limits',
  ChargeProfileMaxStackLevel: 'read by the agent at boot to stack its limits over the fail-safe',
  ChargingScheduleMaxPeriods: 'read by the agent at boot to size its schedules',
  ConnectorPhaseRotation: 'read by the agent at boot: the allocation counts each phase by it',
  NumberOfConnectors: 'read by the agent at boot to know the connectors',
  AuthorizationKey: 'the password the agent checks: set it on the device management page',
};

const BY_LOWER = new Map(Object.entries(MANAGED).map(([key, why]) => [key.toLowerCase(), why]));

/** Why the agent manages `key`, or undefined when it leaves it to the installer. */
export function managedKeyReason(key: string): string | undefined {
  return BY_LOWER.get(key.toLowerCase());
}
