/** What the central system does once a charger's boot is accepted: ask for per-phase meter values, read its smart-charging abilities, install the fail-safe. */
import { PHASE_ROTATIONS, ocppPhaseRotation, type PhaseRotation } from '../../shared/units';
import type { ChargerCapabilities } from './charger-events';
import { buildFailSafeProfile, chooseRateUnit, type LimitSpec } from './charging-profile-builder';
import { sendCommand, type RpcCaller } from './command-sender';

/** Measurands we ask chargers to sample, so that per-phase currents arrive. */
export const SAMPLED_MEASURANDS = [
  'Current.Import',
  'Current.Offered',
  'Power.Active.Import',
  'Energy.Active.Import.Register',
  'Voltage',
] as const;

export interface BootSettings {
  readonly meterSampleIntervalSeconds: number;
  readonly nominalVolts: number;
  readonly commandTimeoutMs: number;
  /** The fail-safe limit this charger holds when no lease is in force. */
  readonly failSafe: LimitSpec;
}

export interface BootOutcome {
  readonly capabilities: ChargerCapabilities;
  readonly failSafeInstalled: boolean;
  readonly rejectedKeys: readonly string[];
}

/** Reads the rotation of connector 1 (or the whole charger) from `ConnectorPhaseRotation`, e.g. `0.RST,1.STR` or `RST`. */
export function parsePhaseRotation(value: string | undefined): PhaseRotation | undefined {
  if (value === undefined) return undefined;
  const entries = value.split(',').map((e) => e.trim().split('.'));
  const pick = (connector: string) => entries.find((e) => e.length === 2 && e[0] === connector)?.[1];
  const code = pick('1') ?? pick('0') ?? entries.find((e) => e.length === 1)?.[0];
  return PHASE_ROTATIONS.find((rotation) => ocppPhaseRotation(rotation) === code);
}

/** Runs the boot sequence; every step is attempted even when an earlier one is refused. */
export async function configureAtBoot(peer: RpcCaller, settings: BootSettings): Promise<BootOutcome> {
  const timeout = settings.commandTimeoutMs;
  const changes: [string, string][] = [
    ['MeterValueSampleInterval', String(settings.meterSampleIntervalSeconds)],
    ['MeterValuesSampledData', SAMPLED_MEASURANDS.join(',')],
  ];
  const rejectedKeys: string[] = [];
  for (const [key, value] of changes) {
    const result = await sendCommand(peer, 'ChangeConfiguration', { key, value }, timeout);
    if (result.kind !== 'accepted') rejectedKeys.push(key);
  }
  const read = await sendCommand(
    peer,
    'GetConfiguration',
    {
      key: [
        'ChargingScheduleAllowedChargingRateUnit',
        'ChargeProfileMaxStackLevel',
        'ChargingScheduleMaxPeriods',
        'ConnectorPhaseRotation',
        'NumberOfConnectors',
      ],
    },
    timeout,
  );
  const keys = read.kind === 'accepted' ? (read.response.configurationKey ?? []) : [];
  const valueOf = (key: string) => keys.find((k) => k.key === key)?.value;
  const maxStackLevel = Number(valueOf('ChargeProfileMaxStackLevel'));
  const maxSchedulePeriods = Number(valueOf('ChargingScheduleMaxPeriods'));
  const numberOfConnectors = Number(valueOf('NumberOfConnectors'));
  const capabilities: ChargerCapabilities = {
    rateUnit: chooseRateUnit(valueOf('ChargingScheduleAllowedChargingRateUnit')),
    maxStackLevel: Number.isInteger(maxStackLevel) ? maxStackLevel : undefined,
    ...(Number.isInteger(maxSchedulePeriods) && maxSchedulePeriods > 0 && { maxSchedulePeriods }),
    phaseRotation: parsePhaseRotation(valueOf('ConnectorPhaseRotation')),
    // Number('') is 0, and a charger has at least one connector: 0 means it did not say.
    numberOfConnectors: Number.isInteger(numberOfConnectors) && numberOfConnectors > 0 ? numberOfConnectors : undefined,
  };
  const profile = buildFailSafeProfile(settings.failSafe, {
    rateUnit: capabilities.rateUnit,
    nominalVolts: settings.nominalVolts,
  });
  const installed = await sendCommand(
    peer,
    'SetChargingProfile',
    { connectorId: 0, csChargingProfiles: profile },
    timeout,
  );
  return { capabilities, failSafeInstalled: installed.kind === 'accepted', rejectedKeys };
}
