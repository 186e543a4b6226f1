import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CAR, VirtualCar } from '../../../../sim/charger/virtual-car';
import { ConnectorMeter } from '../../../../sim/charger/connector-meter';

describe('ManualClock', () => {
  it('should run due timers in time order, at their own time, including ones they schedule', () => {
    const clock = new ManualClock(0);
    const ran: [string, number][] = [];
    clock.after(300, () => ran.push(['c', clock.now()]));
    clock.after(100, () => {
      ran.push(['a', clock.now()]);
      clock.after(100, () => ran.push(['b', clock.now()]));
    });
    const cancel = clock.after(150, () => ran.push(['cancelled', clock.now()]));
    cancel();

    clock.advance(250);

    expect(ran).toEqual([
      ['a', 100],
      ['b', 200],
    ]);
    expect(clock.now()).toBe(250);
    expect(clock.pendingTimers()).toBe(1);
  });
});

describe('VirtualCar', () => {
  it('should draw what is offered up to its maximum, nothing below the minimum', () => {
    const car = new VirtualCar({ ...DEFAULT_CAR, maxAmps: 16 });

    expect(car.drawAmps(32)).toBe(16);
    expect(car.drawAmps(10)).toBe(10);
    expect(car.drawAmps(5)).toBe(0);
  });

  it('should taper near full and stop when full', () => {
    const car = new VirtualCar({ ...DEFAULT_CAR, batteryWh: 10_000, initialSoc: 0.9, taperFromSoc: 0.8 });

    expect(car.drawAmps(32)).toBeCloseTo(16, 5);
    expect(car.charge(5_000)).toBe(1_000);
    expect(car.drawAmps(32)).toBe(0);
  });
});

describe('ConnectorMeter', () => {
  it('should count energy on the phases the car uses and report them in charger phase order', () => {
    const car = new VirtualCar({ ...DEFAULT_CAR, phases: 1 });
    const meter = new ConnectorMeter(230, 3, 0);
    meter.offeredAmps = 16;
    meter.drawAmps = 16;

    meter.advance(3_600_000, car);
    const sample = meter.sample(car, 'Sample.Periodic');

    expect(meter.registerWh).toBeCloseTo(3680, 5);
    expect(sample.filter((s) => s.measurand === 'Current.Import').map((s) => [s.phase, s.value])).toEqual([
      ['L1', '16.0'],
      ['L2', '0.0'],
      ['L3', '0.0'],
    ]);
    expect(sample.find((s) => s.measurand === 'Power.Active.Import')?.value).toBe('3680');
  });
});
