/**
 * Configuration keys the load management depends on, which the operator's CSMS may not change through the agent: a
 * ChangeConfiguration that would weaken one is answered `Rejected` (the CSMS is told) and not sent to the charger;
 * every other one passes through. The table is in docs/csms.md ("Configuration the agent protects").
 */
import { z } from 'zod';
import { SAMPLED_MEASURANDS } from '../ocpp/boot-configuration';

/** What the agent set at boot and must keep. */
export interface AgentConfiguration {
  /** The agent's `MeterValueSampleInterval`: the control loop judges cars on samples this fresh. */
  readonly meterSampleIntervalSeconds: number;
}

/** Read at boot to build the agent's profiles (unit, stack levels, phase rotation, connectors): not to be changed. */
const READ_AT_BOOT = new Set([
  'ChargingScheduleAllowedChargingRateUnit',
  'ChargeProfileMaxStackLevel',
  'ConnectorPhaseRotation',
  'NumberOfConnectors',
]);

/** OCPP 1.6 ChangeConfiguration.req (key CiString50, value CiString500). */
const ChangeSchema = z.object({ key: z.string().max(50), value: z.string().max(500) });

/** Why the change is refused, or undefined when it may pass through to the charger. */
export function configurationRefusal(payload: unknown, agent: AgentConfiguration): string | undefined {
  const parsed = ChangeSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { key, value } = parsed.data;
  // Keys are case-insensitive (CiString).
  const known = [...READ_AT_BOOT, 'MeterValueSampleInterval', 'MeterValuesSampledData'].find(
    (k) => k.toLowerCase() === key.toLowerCase(),
  );
  if (known === undefined) return undefined;
  if (READ_AT_BOOT.has(known)) return `${known} is read by the agent at boot to build its limits`;
  if (known === 'MeterValueSampleInterval') {
    const seconds = Number(value);
    const fresh = Number.isInteger(seconds) && seconds > 0 && seconds <= agent.meterSampleIntervalSeconds;
    return fresh
      ? undefined
      : `MeterValueSampleInterval above ${agent.meterSampleIntervalSeconds} s starves the control loop`;
  }
  const measurands = new Set(value.split(',').map((m) => m.trim().toLowerCase()));
  const missing = SAMPLED_MEASURANDS.filter((m) => !measurands.has(m.toLowerCase()));
  return missing.length === 0 ? undefined : `MeterValuesSampledData without ${missing.join(', ')}`;
}
