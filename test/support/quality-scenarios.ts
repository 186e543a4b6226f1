/**
 * The control-quality scenarios as data: n chargers on one metered grid connection (fuse 40 A + 12 A per charger),
 * cars with mixed maxima and phases, and five scenarios (steady, building steps, a burst of arrivals, charger dropouts,
 * meter loss). The benchmark runs them all; regression tests run the ones that once went wrong.
 */
import type { PlantScenarioInput } from '../../sim/closed-loop/plant-scenario';
import { dynamicPolicy, plantSite } from './plant-sites';

/** Delay + ramp of the cars: quick, and the slowest IEC 61851 allows. */
export const RESPONSES = [
  { delaySeconds: 0.5, rampSeconds: 0.5 },
  { delaySeconds: 0.5, rampSeconds: 4.5 },
] as const;
export type CarResponse = (typeof RESPONSES)[number];
export const SCENARIOS = ['steady', 'building steps', 'arrival burst', 'charger dropouts', 'meter loss'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Deterministic 0..1 from an index, so every run builds the same site. */
const pick = (i: number, salt: number) => (((Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453) % 1) + 1) % 1;

/** The most the building draws in any scenario, as a share of the fuse (the building steps' highest). */
const BUILDING_PEAK_SHARE = 0.6;
const MARGIN_AMPS = 2;

/** The scenario with the lost-meter fallback set to `amps` per phase instead of the one sized from the fuse. */
export function withFallbackAmps(scenario: PlantScenarioInput, amps: number): PlantScenarioInput {
  return {
    ...scenario,
    policy: {
      ...scenario.policy,
      control: { mode: 'dynamic', safetyMarginAmps: MARGIN_AMPS, staleMeter: { afterSeconds: 10, fallbackAmps: amps } },
    },
  };
}

/** One scenario for `n` chargers reporting MeterValues every `meterValuesSeconds`, lasting `durationSeconds`. */
export function qualityScenario(
  name: ScenarioName,
  n: number,
  meterValuesSeconds: number,
  response: CarResponse,
  durationSeconds: number,
): PlantScenarioInput {
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
      ? [0, 0.2, 0.4, 0.6, 0.8].map((share, k) => ({
          atSeconds: Math.round(durationSeconds * share),
          amps: Math.round(fuseAmps * [0.3, 0.55, 0.2, BUILDING_PEAK_SHARE, 0.35][k]!),
        }))
      : [{ atSeconds: 0, amps: base }];
  const dropped = Math.max(1, Math.round(n / 10));
  return {
    site: plantSite(n, { fuseAmps }),
    policy: dynamicPolicy(fuseAmps, {
      // The fallback an installer sets from the building's peak: what the chargers may use while the meter is lost and
      // the building draws the most these scenarios ever give it (60 % of the fuse), less the margin.
      control: {
        mode: 'dynamic',
        safetyMarginAmps: MARGIN_AMPS,
        staleMeter: { afterSeconds: 10, fallbackAmps: Math.round(fuseAmps * (1 - BUILDING_PEAK_SHARE)) - MARGIN_AMPS },
      },
      hysteresis: { stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 120 },
      rotation: { intervalSeconds: 0 },
    }),
    durationSeconds,
    meter: { pollSeconds: 1, noiseAmps: 0.3 },
    chargers: { meterValuesSeconds, answerMs: 300, noiseAmps: 0.2 },
    building: steps,
    cars,
    dropouts:
      name === 'charger dropouts'
        ? Array.from({ length: dropped }, (_, k) => ({
            chargerId: `CP-${k * 3 + 1}`,
            fromSeconds: 120 + k,
            toSeconds: 210 + k,
          })).concat(
            Array.from({ length: dropped }, (_, k) => ({
              chargerId: `CP-${k * 3 + 2}`,
              fromSeconds: 300,
              toSeconds: 330,
            })),
          )
        : [],
    meterLoss:
      name === 'meter loss'
        ? [
            { meterId: 'grid-meter', fromSeconds: 120, toSeconds: 150 },
            { meterId: 'grid-meter', fromSeconds: 300, toSeconds: 310 },
          ]
        : [],
  };
}
