/**
 * A car park for the demand benchmark, one closed-loop scenario per day, the same for a given seed: an office
 * building's load in the style of a recorded profile (weekday and weekend, morning and evening peaks, noise and short
 * spikes that change inside the quarter-hours, not only at their boundaries), commuters and visitors who arrive, need
 * some energy and leave, on chargers they find free.
 */
import type { PolicyInput } from '../shared/policy/policy-schema';
import type { PlantScenarioInput } from '../sim/closed-loop/plant-scenario';
import { mulberry32 } from '../sim/prng';
import { dynamicPolicy, plantSite } from '../test/support/plant-sites';

const VOLTS = 230;
/** Each day is simulated from 06:00 to 21:00: no car is on site outside it, and the building's night load is low. */
export const DAY_START_HOUR = 6;
export const DAY_SECONDS = 15 * 3600;
/** The building's load changes every 3 minutes (five times inside each quarter-hour). */
const BUILDING_STEP_SECONDS = 180;

export interface CarParkOptions {
  readonly chargers: number;
  /** The grid connection's fuse, A per phase. */
  readonly fuseAmps: number;
  readonly seed: number;
  /** Demand control for the day, or none (uncontrolled but for the fuses). */
  readonly demandControl: PolicyInput['demandControl'];
}

export interface CarParkDay {
  readonly scenario: PlantScenarioInput;
  /** What the cars that found a charger asked for, Wh. */
  readonly requestedWh: number;
  /** Cars that found every charger taken. */
  readonly turnedAway: number;
}

/** Day `day` of the month (day 0 a Monday). */
export function carParkDay(day: number, options: CarParkOptions): CarParkDay {
  const weekday = day % 7 < 5;
  // One stream for the building and one for the cars, so the cars of a day do not change with its building load.
  const buildingRandom = mulberry32(options.seed * 1_000 + day * 2);
  const carRandom = mulberry32(options.seed * 1_000 + day * 2 + 1);
  const cars = parkedCars(weekday, carRandom, options.chargers);
  const policy: PolicyInput = dynamicPolicy(options.fuseAmps, {
    ...(options.demandControl !== undefined && { demandControl: options.demandControl }),
  });
  return {
    scenario: {
      site: plantSite(options.chargers, { fuseAmps: options.fuseAmps }),
      policy,
      durationSeconds: DAY_SECONDS,
      meter: { pollSeconds: 1, noiseAmps: 0.3 },
      chargers: { meterValuesSeconds: 60, answerMs: 300, noiseAmps: 0.3 },
      building: buildingLoad(weekday, buildingRandom),
      cars: cars.parked,
      seed: options.seed + day,
    },
    requestedWh: cars.parked.reduce((sum, car) => sum + (car.needWh ?? 0), 0),
    turnedAway: cars.turnedAway,
  };
}

/** The office's load through the day (kW), before noise: a piecewise-linear shape through hourly points. */
const WEEKDAY_KW = [18, 20, 34, 52, 56, 50, 48, 54, 46, 42, 44, 50, 55, 40, 26, 20]; // 06:00 .. 21:00
const WEEKEND_KW = [15, 15, 16, 20, 24, 26, 27, 26, 24, 22, 20, 19, 18, 17, 16, 15];

function buildingLoad(weekday: boolean, random: () => number): PlantScenarioInput['building'] {
  const shape = weekday ? WEEKDAY_KW : WEEKEND_KW;
  const steps: NonNullable<PlantScenarioInput['building']> = [];
  let spikeUntil = -1;
  let spikeKw = 0;
  for (let at = 0; at < DAY_SECONDS; at += BUILDING_STEP_SECONDS) {
    const hour = at / 3600;
    const k = Math.floor(hour);
    const kw = shape[k]! + (shape[k + 1]! - shape[k]!) * (hour - k);
    // A kitchen, a lift, a compressor: a few kW for a few minutes, now and then.
    if (at >= spikeUntil && random() < 0.08) {
      spikeUntil = at + BUILDING_STEP_SECONDS * (1 + Math.floor(random() * 3));
      spikeKw = 3 + random() * 7;
    }
    const total = kw * (0.92 + random() * 0.16) + (at < spikeUntil ? spikeKw : 0);
    steps.push({ atSeconds: at, amps: Math.round(((total * 1000) / (3 * VOLTS)) * 10) / 10 });
  }
  return steps;
}

interface Arrival {
  readonly arriveSeconds: number;
  readonly leaveSeconds: number;
  readonly needWh: number;
  readonly maxAmps: number;
  readonly phases: 1 | 3;
}

/** Commuters (in by 09:30, out from 16:00) and visitors (an hour or two, through the day), on the first free charger. */
function parkedCars(weekday: boolean, random: () => number, chargers: number) {
  const between = (from: number, to: number) => from + random() * (to - from);
  const car = (): Pick<Arrival, 'maxAmps' | 'phases'> => {
    const kind = random();
    // Most cars take 11 kW (16 A, 3 phases); some 22 kW, some one phase at 32 A (7.4 kW).
    if (kind < 0.6) return { maxAmps: 16, phases: 3 };
    if (kind < 0.8) return { maxAmps: 32, phases: 3 };
    return { maxAmps: 32, phases: 1 };
  };
  const hours = (h: number) => (h - DAY_START_HOUR) * 3600;
  const arrivals: Arrival[] = [];
  for (let k = 0; k < (weekday ? 14 : 2); k++) {
    // Commuters bunch around 08:15.
    const arrive = hours(8.25 + (random() + random() + random() - 1.5) * 0.9);
    arrivals.push({
      arriveSeconds: Math.round(arrive),
      leaveSeconds: Math.round(hours(between(16, 18.5))),
      needWh: Math.round(between(6_000, 25_000)),
      ...car(),
    });
  }
  for (let k = 0; k < (weekday ? 18 : 10); k++) {
    const arrive = hours(between(9, 18));
    arrivals.push({
      arriveSeconds: Math.round(arrive),
      leaveSeconds: Math.round(arrive + between(0.5, 2.5) * 3600),
      needWh: Math.round(between(4_000, 20_000)),
      ...car(),
    });
  }
  arrivals.sort((a, b) => a.arriveSeconds - b.arriveSeconds);
  const freeAt = new Array<number>(chargers).fill(0);
  const parked: NonNullable<PlantScenarioInput['cars']> = [];
  let turnedAway = 0;
  for (const arrival of arrivals) {
    const free = freeAt.findIndex((at) => at < arrival.arriveSeconds);
    if (free < 0) {
      turnedAway++;
      continue;
    }
    freeAt[free] = arrival.leaveSeconds + 60;
    parked.push({ ref: `CP-${free + 1}/1`, ...arrival });
  }
  return { parked, turnedAway };
}
