import { describe, expect, it } from 'vitest';
import { SAMPLED_MEASURANDS } from '../../../../edge/ocpp/boot-configuration';
import { configurationRefusal } from '../../../../edge/upstream/protected-configuration';

const AGENT = { meterSampleIntervalSeconds: 10 };
const OURS = SAMPLED_MEASURANDS.join(',');

describe('configurationRefusal', () => {
  it.each<[string, string, boolean]>([
    ['MeterValueSampleInterval', '10', false],
    ['MeterValueSampleInterval', '5', false],
    ['MeterValueSampleInterval', '11', true],
    ['MeterValueSampleInterval', '0', true],
    ['MeterValueSampleInterval', 'soon', true],
    ['metervaluesampleinterval', '60', true],
    ['MeterValuesSampledData', OURS, false],
    ['MeterValuesSampledData', `SoC, ${OURS.toLowerCase()}`, false],
    ['MeterValuesSampledData', 'Energy.Active.Import.Register', true],
    ['ChargingScheduleAllowedChargingRateUnit', 'W', true],
    ['ChargeProfileMaxStackLevel', '1', true],
    ['ConnectorPhaseRotation', '0.RST', true],
    ['NumberOfConnectors', '2', true],
    ['HeartbeatInterval', '3600', false],
    ['AuthorizeRemoteTxRequests', 'true', false],
  ])('should decide %s = %s (refused: %s)', (key, value, refused) => {
    expect(configurationRefusal({ key, value }, AGENT) !== undefined).toBe(refused);
  });

  it('should leave a request it cannot read to the charger (and its schema check)', () => {
    expect(configurationRefusal({ key: 'MeterValueSampleInterval' }, AGENT)).toBeUndefined();
  });
});
