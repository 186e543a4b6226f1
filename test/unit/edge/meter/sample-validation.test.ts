import { describe, expect, it } from 'vitest';
import { PlausibilitySchema } from '../../../../edge/meter/meter-config';
import type { MeterValues } from '../../../../edge/meter/register-decoder';
import { implausibility } from '../../../../edge/meter/sample-validation';

const limits = PlausibilitySchema.parse({});
const good: MeterValues = { volts: [230, 231, 229], amps: [10, 12, 8], watts: [2300, 2772, 1832], totalWatts: 6904, importWh: 1_000_000 };

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
    ['absurd phase power', { watts: [2300, 1e9, 1832] }, /L2 watts .* beyond/],
    ['absurd total power', { totalWatts: -1e10 }, /total watts .* beyond/],
    ['negative energy', { importWh: -5 }, /import Wh -5 is negative/],
  ])('should reject %s', (_name, change, reason) => {
    expect(implausibility({ ...good, ...change }, limits)).toMatch(reason);
  });

  it.each<[string, Partial<MeterValues>, number, RegExp]>([
    ['a current step beyond maxStepAmps', { amps: [10, 400, 8] }, 1000, /L2 amps jumped by 388/],
    ['an energy counter going backwards', { importWh: 999_000 }, 1000, /went backwards by 1000/],
    ['more energy than the connection can carry', { importWh: 1_100_000 }, 1000, /rose by 100000 in 1000 ms/],
  ])('should reject %s between polls', (_name, change, elapsedMs, reason) => {
    expect(implausibility({ ...good, ...change }, limits, good, elapsedMs)).toMatch(reason);
  });
});
