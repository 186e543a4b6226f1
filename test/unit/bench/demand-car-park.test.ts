import { describe, expect, it } from 'vitest';
import { carParkDay, DAY_SECONDS } from '../../../bench/demand-car-park';
import { PlantScenarioSchema } from '../../../sim/closed-loop/plant-scenario';

const options = { chargers: 20, fuseAmps: 400, seed: 18, demandControl: undefined };
const peakAmps = (day: number) => Math.max(...carParkDay(day, options).scenario.building!.map((b) => b.amps as number));

describe('the demand benchmark car park', () => {
  it('should make the same day from the same seed, and a valid closed-loop scenario', () => {
    expect(carParkDay(2, options)).toEqual(carParkDay(2, options));
    expect(() => PlantScenarioSchema.parse(carParkDay(2, options).scenario)).not.toThrow();
    expect(carParkDay(2, options)).not.toEqual(carParkDay(2, { ...options, seed: 19 }));
  });

  it('should load the building more on weekdays than at weekends, changing inside the quarter-hours too', () => {
    const building = carParkDay(0, options).scenario.building!;

    expect(peakAmps(0)).toBeGreaterThan(1.5 * peakAmps(5));
    expect(building.some((b) => b.atSeconds % 900 !== 0)).toBe(true);
  });

  it('should park each car on a charger nobody else holds then, with an energy need, gone by the end of the day', () => {
    const { scenario, requestedWh } = carParkDay(1, options);
    const cars = scenario.cars!;

    for (const [k, car] of cars.entries()) {
      expect(car.leaveSeconds!).toBeLessThanOrEqual(DAY_SECONDS);
      expect(car.needWh).toBeGreaterThan(0);
      const overlapping = cars.filter(
        (other, j) =>
          j !== k &&
          other.ref === car.ref &&
          other.arriveSeconds < car.leaveSeconds! &&
          car.arriveSeconds < other.leaveSeconds!,
      );
      expect(overlapping).toEqual([]);
    }
    expect(requestedWh).toBe(cars.reduce((sum, car) => sum + car.needWh!, 0));
    expect(cars.length).toBeGreaterThan(carParkDay(5, options).scenario.cars!.length);
  });
});
