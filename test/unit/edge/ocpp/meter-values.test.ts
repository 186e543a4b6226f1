import { describe, expect, it } from 'vitest';
import { MeterValueSchema, parseMeterSample, type SampledValue } from '../../../../edge/ocpp/meter-values';

const AT = '2025-01-01T12:00:00Z';
const parse = (sampledValue: SampledValue[], phases: 1 | 3 = 3) =>
  parseMeterSample([MeterValueSchema.parse({ timestamp: AT, sampledValue })], phases);

describe('parseMeterSample', () => {
  it.each<[string, SampledValue[], 1 | 3, [number, number, number] | undefined]>([
    [
      'per-phase currents',
      [
        { measurand: 'Current.Import', phase: 'L1', unit: 'A', value: '10' },
        { measurand: 'Current.Import', phase: 'L3', unit: 'A', value: '7.5' },
      ],
      3,
      [10, 0, 7.5],
    ],
    ['line-to-neutral phase names', [{ measurand: 'Current.Import', phase: 'L2-N', value: '12' }], 3, [0, 12, 0]],
    [
      'an unphased current on a 1-phase charger',
      [{ measurand: 'Current.Import', unit: 'A', value: '16' }],
      1,
      [16, 0, 0],
    ],
    [
      'an unphased current on a 3-phase charger',
      [{ measurand: 'Current.Import', unit: 'A', value: '16' }],
      3,
      [16, 16, 16],
    ],
    [
      'a negative reading clamped to 0',
      [{ measurand: 'Current.Import', phase: 'L1', unit: 'A', value: '-0.2' }],
      3,
      [0, 0, 0],
    ],
    [
      'EV-side readings ignored',
      [{ measurand: 'Current.Import', phase: 'L1', location: 'EV', value: '9' }],
      3,
      undefined,
    ],
    ['no current at all', [{ measurand: 'Voltage', phase: 'L1-N', unit: 'V', value: '230' }], 3, undefined],
  ])('should read %s', (_name, values, phases, amps) => {
    expect(parse(values, phases)?.measurement?.amps).toEqual(amps);
  });

  it.each<[SampledValue, Record<string, number>]>([
    [{ measurand: 'Power.Active.Import', unit: 'kW', value: '7.4' }, { powerWatts: 7400 }],
    [{ measurand: 'Power.Active.Import', unit: 'W', value: '3680' }, { powerWatts: 3680 }],
    [{ measurand: 'Energy.Active.Import.Register', unit: 'kWh', value: '1.5' }, { energyWh: 1500 }],
    [{ value: '2500' }, { energyWh: 2500 }],
    [{ measurand: 'Current.Offered', value: '16' }, { offeredAmps: 16 }],
  ])('should convert %o to base units', (value, expected) => {
    expect(parse([value])).toMatchObject(expected);
  });

  it('should sum per-phase power and use the latest meter value', () => {
    // Arrange
    const older = {
      timestamp: '2025-01-01T11:59:50Z',
      sampledValue: [{ measurand: 'Power.Active.Import' as const, value: '999', unit: 'W' as const }],
    };
    const newer = {
      timestamp: AT,
      sampledValue: [
        { measurand: 'Power.Active.Import' as const, phase: 'L1' as const, unit: 'W' as const, value: '1000' },
        { measurand: 'Power.Active.Import' as const, phase: 'L2' as const, unit: 'kW' as const, value: '1' },
      ],
    };

    // Act
    const sample = parseMeterSample([MeterValueSchema.parse(newer), MeterValueSchema.parse(older)], 3);

    // Assert
    expect(sample).toMatchObject({ at: Date.parse(AT), powerWatts: 2000 });
  });

  it('should ignore signed data and unusable numbers', () => {
    expect(
      parse([
        { measurand: 'Current.Import', phase: 'L1', format: 'SignedData', value: 'abc' },
        { measurand: 'Power.Active.Import', value: 'NaN' },
      ]),
    ).toEqual({ at: Date.parse(AT) });
  });
});
