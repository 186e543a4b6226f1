import { describe, expect, it } from 'vitest';
import { toMeterReading } from '../../../../edge/meter/grid-meter-sample';
import { importAmps } from '../../../../edge/meter/import-amps';
import type { MeterValues } from '../../../../edge/meter/register-decoder';

const phase = (volts: number, amps: number, watts: number): MeterValues => ({
  volts: [volts, 230, 230],
  amps: [amps, 0, 0],
  watts: [watts, 0, 0],
  totalWatts: watts,
  importWh: 0,
});

describe('importAmps', () => {
  it.each<[string, MeterValues, number]>([
    ['an importing phase at unity power factor', phase(230, 20, 4600), 20],
    ['an importing phase with reactive current (the magnitude)', phase(230, 10, 1840), 10],
    ['a phase with only reactive current', phase(230, 10, 0), 10],
    ['an exporting phase at unity power factor (a PV surplus)', phase(230, 20, -4600), 0],
    ['an exporting phase whose current the meter signs', phase(230, -20, -4600), 0],
    ['an exporting phase with reactive current: the reactive part less the export', phase(230, 10, -1380), 2],
    ['an exporting phase whose reactive part outweighs the export', phase(230, 10, -460), 7.798],
  ])('should read %s', (_name, values, expected) => {
    expect(importAmps(values)[0]).toBeCloseTo(expected, 3);
  });

  it('should keep the other phases independent', () => {
    const values: MeterValues = {
      volts: [230, 230, 230],
      amps: [20, 20, 20],
      watts: [4600, -4600, 4600],
      totalWatts: 4600,
      importWh: 0,
    };

    expect(importAmps(values)).toEqual([20, 0, 20]);
  });

  it('should give the control loop the import-direction current of a valid sample', () => {
    const values: MeterValues = {
      volts: [230, 230, 230],
      amps: [20, 5, 12],
      watts: [-4600, 1150, 2760],
      totalWatts: -690,
      importWh: 0,
    };

    expect(toMeterReading({ meterId: 'grid', at: 7, valid: true, values })).toEqual({
      meterId: 'grid',
      at: 7,
      amps: [0, 5, 12],
      valid: true,
    });
  });
});
