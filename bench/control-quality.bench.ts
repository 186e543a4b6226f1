/**
 * Control quality in closed loop, in virtual time: the real controller, allocator and dispatcher against the site
 * plant (meter = building load + the cars' real draw; cars that follow their limits late and ramp; chargers that
 * report at their own interval and drop off). For 8, 32 and 500 chargers, MeterValues every 1, 10 and 60 s, cars that
 * take 1 s or 5 s to follow, five scenarios each: controller-caused overload, limit changes once settled, settle time
 * after building-load steps, pauses the site did not need, and energy delivered against what the fuses allowed.
 */
import type { PlantScenarioInput } from '../sim/closed-loop/plant-scenario';
import { runClosedLoop } from '../test/support/closed-loop';
import { dynamicPolicy, plantSite } from '../test/support/plant-sites';
import { percentile, printTable } from './measure';

const SIZES = [8, 32, 500] as const;
const INTERVALS = [1, 10, 60] as const;
/** Delay + ramp of the cars: quick, and the slowest IEC 61851 allows. */
const RESPONSES = [{ delaySeconds: 0.5, rampSeconds: 0.5 }, { delaySeconds: 0.5, rampSeconds: 4.5 }] as const;
/** Virtual seconds per run: ten minutes, five at 500 chargers (whose runs take about 40 s of wall time each). */
const durationFor = (n: number) => (n >= 500 ? 300 : 600);
const SCENARIOS = ['steady', 'building steps', 'arrival burst', 'charger dropouts', 'meter loss'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

/** Deterministic 0..1 from an index, so every run builds the same site. */
const pick = (i: number, salt: number) => ((Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453) % 1 + 1) % 1;

function scenarioFor(name: ScenarioName, n: number, meterValuesSeconds: number, response: (typeof RESPONSES)[number]): PlantScenarioInput {
  const fuseAmps = 40 + n * 12;
  const base = Math.round(fuseAmps * 0.3);
  const cars = Array.from({ length: n }, (_, i) => {
    const burst = name === 'arrival burst' && i >= n / 2;
    return {
      ref: `CP-${i + 1}/1`,
      arriveSeconds: burst ? 120 + pick(i, 1) * 10 : 1 + pick(i, 2) * 50,
      ...(burst && i % 4 === 0 ? { leaveSeconds: 360 } : {}),
      maxAmps: 10 + Math.round(pick(i, 3) * 22),
      phases: pick(i, 4) < 0.8 ? (3 as const) : (1 as const),
      startSeconds: 2 + Math.round(pick(i, 5) * 4),
      ...response,
    };
  });
  const steps =
    name === 'building steps'
      ? [0, 0.2, 0.4, 0.6, 0.8].map((share, k) => ({ atSeconds: Math.round(durationFor(n) * share), amps: Math.round(fuseAmps * [0.3, 0.55, 0.2, 0.6, 0.35][k]!) }))
      : [{ atSeconds: 0, amps: base }];
  const dropped = Math.max(1, Math.round(n / 10));
  return {
    site: plantSite(n, { fuseAmps }),
    policy: dynamicPolicy(fuseAmps, { hysteresis: { stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 120 }, rotation: { intervalSeconds: 0 } }),
    durationSeconds: durationFor(n),
    meter: { pollSeconds: 1, noiseAmps: 0.3 },
    chargers: { meterValuesSeconds, answerMs: 300, noiseAmps: 0.2 },
    building: steps,
    cars,
    dropouts:
      name === 'charger dropouts'
        ? Array.from({ length: dropped }, (_, k) => ({ chargerId: `CP-${k * 3 + 1}`, fromSeconds: 120 + k, toSeconds: 210 + k })).concat(
            Array.from({ length: dropped }, (_, k) => ({ chargerId: `CP-${k * 3 + 2}`, fromSeconds: 300, toSeconds: 330 })),
          )
        : [],
    meterLoss: name === 'meter loss' ? [{ meterId: 'grid-meter', fromSeconds: 120, toSeconds: 150 }, { meterId: 'grid-meter', fromSeconds: 300, toSeconds: 310 }] : [],
  };
}

interface Row {
  overloadAmpSeconds: number;
  overloadPeakAmps: number;
  changesPerHour: number;
  settle: number[];
  unneededPauseSeconds: number;
  energy: number[];
  idealEnergy: number[];
  wallMs: number;
}

/** Runs the control-quality benchmark and prints its table. */
export async function benchControlQuality(): Promise<void> {
  const wanted = process.env.CONTROL_QUALITY_SIZES?.split(',').map(Number) ?? [...SIZES];
  const rows: string[][] = [];
  for (const n of SIZES.filter((s) => wanted.includes(s))) {
    for (const name of SCENARIOS) {
      const row: Row = { overloadAmpSeconds: 0, overloadPeakAmps: 0, changesPerHour: 0, settle: [], unneededPauseSeconds: 0, energy: [], idealEnergy: [], wallMs: 0 };
      for (const mv of INTERVALS) {
        for (const response of RESPONSES) {
          const started = performance.now();
          const { quality } = await runClosedLoop(scenarioFor(name, n, mv, response), { stepMs: n >= 500 ? 200 : 100 });
          row.wallMs += performance.now() - started;
          row.overloadAmpSeconds = Math.max(row.overloadAmpSeconds, quality.controllerOverloadAmpSeconds);
          row.overloadPeakAmps = Math.max(row.overloadPeakAmps, quality.controllerOverloadPeakAmps);
          row.changesPerHour = Math.max(row.changesPerHour, quality.settledChangesPerChargerHour);
          row.settle.push(...quality.settleSeconds.filter((_, k) => k > 0));
          row.unneededPauseSeconds += quality.unneededPauseSeconds;
          row.energy.push(quality.deliveredAmpSeconds / Math.max(1, quality.allowedAmpSeconds));
          row.idealEnergy.push(quality.deliveredAmpSeconds / Math.max(1, quality.idealAmpSeconds));
        }
      }
      rows.push([
        String(n),
        name,
        row.overloadAmpSeconds.toFixed(1),
        row.overloadPeakAmps.toFixed(1),
        row.changesPerHour.toFixed(1),
        row.settle.length === 0 ? '-' : `${percentile(row.settle, 0.5).toFixed(1)} / ${percentile(row.settle, 0.99).toFixed(1)}`,
        row.unneededPauseSeconds.toFixed(0),
        `${(Math.min(...row.energy) * 100).toFixed(1)} %`,
        `${(Math.min(...row.idealEnergy) * 100).toFixed(1)} %`,
        (row.wallMs / 1000).toFixed(1),
      ]);
      process.stdout.write(`  control-quality: ${n} chargers, ${name} done\n`);
    }
  }
  printTable(
    'control quality, closed loop in virtual time (600 s per run, 300 s at 500 chargers; worst of MeterValues every 1/10/60 s x cars following in 1/5 s)',
    ['chargers', 'scenario', 'overload A*s', 'peak A', 'changes/charger/h settled', 'settle s p50 / p99', 'unneeded pause s', 'energy vs fuses (min)', 'vs same policy knowing all (min)', 'wall s'],
    rows,
  );
}
