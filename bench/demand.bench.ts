/**
 * Peak-demand control over a car park, in virtual time: the real controller against the site plant, day by day
 * (`demand-car-park.ts`), with and without demand control. Prints the peak of the 15-minute average import (what a
 * capacity tariff bills), the building's own peak, the energy delivered to the cars and the share of what they asked
 * for, and the wall time each took.
 */
import { runClosedLoop } from '../test/support/closed-loop';
import { carParkDay, type CarParkOptions } from './demand-car-park';
import { printTable } from './measure';

const CHARGERS = 20;
const FUSE_AMPS = 400;
const TARGET_KW = 100;
const SEED = 18;
/**
 * Days simulated, from a Monday: three by default (Monday to Wednesday: about 20 s of CPU per day and variant, so
 * the default run stays near two minutes); `DEMAND_BENCH_DAYS=30` runs the month (about 20 minutes).
 */
const DAYS = Number(process.env.DEMAND_BENCH_DAYS ?? 3);

interface Outcome {
  peakKw: number;
  buildingPeakKw: number;
  deliveredWh: number;
  requestedWh: number;
  /** Cars given at least 95 % of what they asked for. */
  satisfied: number;
  cars: number;
  turnedAway: number;
  wallMs: number;
}

/** Runs the demand benchmark and prints its table. */
export async function benchDemand(): Promise<void> {
  const variants: [string, CarParkOptions['demandControl']][] = [
    ['none', undefined],
    [`target ${TARGET_KW} kW`, { enabled: true, periodMinutes: 15, targetKw: TARGET_KW, marginKw: 1 }],
  ];
  const rows: string[][] = [];
  for (const [name, demandControl] of variants) {
    const outcome = await runDays({ chargers: CHARGERS, fuseAmps: FUSE_AMPS, seed: SEED, demandControl });
    rows.push([
      name,
      outcome.peakKw.toFixed(1),
      outcome.buildingPeakKw.toFixed(1),
      (outcome.deliveredWh / 1000).toFixed(0),
      (outcome.requestedWh / 1000).toFixed(0),
      `${((outcome.deliveredWh / outcome.requestedWh) * 100).toFixed(1)} %`,
      `${outcome.satisfied} / ${outcome.cars}`,
      String(outcome.turnedAway),
      (outcome.wallMs / 1000).toFixed(1),
    ]);
  }
  printTable(
    `peak demand, car park in closed loop in virtual time (${CHARGERS} chargers, ${FUSE_AMPS} A fuse, ${DAYS} days from a Monday, 06:00-21:00 each, seed ${SEED})`,
    [
      'demand control',
      'peak 15-min kW',
      'building peak kW',
      'delivered kWh',
      'asked kWh',
      'share delivered',
      'cars >= 95 %',
      'turned away',
      'wall s',
    ],
    rows,
  );
}

async function runDays(options: CarParkOptions): Promise<Outcome> {
  const outcome: Outcome = {
    peakKw: 0,
    buildingPeakKw: 0,
    deliveredWh: 0,
    requestedWh: 0,
    satisfied: 0,
    cars: 0,
    turnedAway: 0,
    wallMs: 0,
  };
  for (let day = 0; day < DAYS; day++) {
    const { scenario, requestedWh, turnedAway } = carParkDay(day, options);
    // Each car's energy by connector and plug-in time, as last seen (a car that left keeps its last count).
    const energy = new Map<string, Map<number, number>>();
    const started = performance.now();
    const { quality } = await runClosedLoop(scenario, {
      stepMs: 1_000,
      onStep: ({ plant }) => {
        for (const s of plant.sessions()) {
          const connector = energy.get(s.ref) ?? new Map<number, number>();
          energy.set(s.ref, connector.set(s.pluggedAt, s.energyWh));
        }
      },
    });
    outcome.wallMs += performance.now() - started;
    for (const period of quality.demandPeriods) {
      outcome.peakKw = Math.max(outcome.peakKw, period.averageKw);
      outcome.buildingPeakKw = Math.max(outcome.buildingPeakKw, period.buildingKw);
    }
    const got = deliveredPerCar(scenario.cars ?? [], energy);
    outcome.deliveredWh += got.reduce((sum, wh) => sum + wh, 0);
    outcome.requestedWh += requestedWh;
    outcome.cars += got.length;
    outcome.turnedAway += turnedAway;
    outcome.satisfied += got.filter((wh, k) => wh >= 0.95 * (scenario.cars?.[k]?.needWh ?? 0)).length;
    process.stdout.write(`  demand: ${options.demandControl === undefined ? 'none' : 'target'}, day ${day + 1} done\n`);
  }
  return outcome;
}

/** What each car of the day took, in the order of `cars` (which arrive in that order): a connector's sessions, in plug-in order, are its cars. */
function deliveredPerCar(
  cars: readonly { ref: string }[],
  energy: ReadonlyMap<string, ReadonlyMap<number, number>>,
): number[] {
  const taken = new Map<string, number>();
  return cars.map(({ ref }) => {
    const n = taken.get(ref) ?? 0;
    taken.set(ref, n + 1);
    return [...(energy.get(ref)?.values() ?? [])][n] ?? 0;
  });
}
