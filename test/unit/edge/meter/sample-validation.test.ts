import { describe, expect, it } from 'vitest';
import { PlausibilitySchema } from '../../../../edge/meter/meter-config';
import type { MeterValues } from '../../../../edge/meter/register-decoder';
import { implausibility } from '../../../../edge/meter/sample-validation';
import { englishMessage, type MessageRef } from '../../../../shared/server-messages';

const limits = PlausibilitySchema.parse({});
const english = (said: MessageRef | undefined): string | undefined => said && englishMessage(said);
const good: MeterValues = {
  volts: [230, 231, 229],
  amps: [10, 12, 8],
  watts: [2300, 2772, 1832],
  totalWatts: 6904,
  importWh: 1_000_000,
};

describe('implausibility', () => {
  it('should accept believable values', () => {
    expect(implausibility(good, limits)).toBeUndefined();
    expect(implausibility({ ...good, amps: [11, 12, 8], importWh: 1_000_002 }, limits, good, 1000)).toBeUndefined();
  });

  it.each<[string, Partial<MeterValues>, RegExp]>([
    ['NaN volts', { volts: [230, Number.NaN, 229] }, /L2 volts is NaN/],
    ['infinite amps', { amps: [10, 12, Number.POSITIVE_INFINITY] }, /L3 amps is Infinity/],
    ['a lost phase', { volts: [0, 231, 229] }, /L1 volts 0 outside 100\.\.300/],
    ['overvoltage', { volts: [230, 231, 450] }, /L3 volts 450 outside/],
    ['negative current', { amps: [-1, 12, 8] }, /L1 amps -1 is negative/],
    ['absurd current', { amps: [10, 3.4e38, 8] }, /L2 amps .* above 2000/],
    ['absurd phase power', { watts: [2300, 1e9, 1832] }, /L2 watts .* above 900000/],
    ['absurd total power', { totalWatts: -1e10 }, /total watts .* above 2700000/],
    ['negative energy', { importWh: -5 }, /import Wh -5 is negative/],
    [
      'a negative current on an importing phase',
      { amps: [10, -12, 8] },
      /L2 amps -12 is negative but the phase does not export \(2772 W\)/,
    ],
    [
      'more active power than volts × amps',
      { watts: [2300, 2772, 5000] },
      /L3 watts 5000 exceed volts × amps \(1832 VA\)/,
    ],
    [
      'exported power larger than volts × amps (a wrong sign would hide the current)',
      { watts: [-9000, 2772, 1832] },
      /L1 watts -9000 exceed/,
    ],
  ])('should reject %s', (_name, change, reason) => {
    expect(english(implausibility({ ...good, ...change }, limits))).toMatch(reason);
  });

  it.each<[string, Partial<MeterValues>, number, RegExp]>([
    [
      'a current step beyond maxStepAmps',
      { amps: [10, 400, 8], watts: [2300, 92_400, 1832] },
      1000,
      /L2 amps jumped by 388/,
    ],
    ['an energy counter going backwards', { importWh: 999_000 }, 1000, /went backwards by 1000/],
    ['more energy than the connection can carry', { importWh: 1_100_000 }, 1000, /rose by 100000 in 1000 ms/],
  ])('should reject %s between polls', (_name, change, elapsedMs, reason) => {
    expect(english(implausibility({ ...good, ...change }, limits, good, elapsedMs))).toMatch(reason);
  });

  it('should accept a phase that exports, with its current as a magnitude or signed by the meter', () => {
    const exporting: MeterValues = { ...good, watts: [-2300, 2772, 1832], totalWatts: 2304 };

    expect(implausibility(exporting, limits)).toBeUndefined();
    expect(implausibility({ ...exporting, amps: [-10, 12, 8] }, limits)).toBeUndefined();
  });

  it('should reject a flip from import to export that moves the import-direction current beyond maxStepAmps', () => {
    const big: MeterValues = {
      volts: [230, 230, 230],
      amps: [200, 10, 10],
      watts: [46_000, 2300, 2300],
      totalWatts: 50_600,
      importWh: 1_000_000,
    };
    const flipped: MeterValues = { ...big, watts: [-46_000, 2300, 2300], totalWatts: -41_400 };

    expect(english(implausibility(flipped, { ...limits, maxStepAmps: 150 }, big, 1000))).toMatch(
      /L1 amps jumped by 200/,
    );
  });
});
