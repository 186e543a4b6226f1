/** A random but reproducible scenario: cars come and go on random chargers, building load wanders, one VIP arrives. */
import { mulberry32 } from '../prng';
import { ScenarioSchema, type Scenario, type ScenarioInput } from './scenario-schema';

export interface RandomScenarioOptions {
  readonly seed: number;
  readonly chargerIds: readonly string[];
  readonly durationSeconds: number;
  readonly idTags: readonly string[];
  readonly vipTag?: string;
  /** Building load wanders between these amps per phase. */
  readonly buildingAmps: readonly [number, number];
}

export function randomScenario(options: RandomScenarioOptions): Scenario {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { durationSeconds } = options;
  const [low, high] = options.buildingAmps;
  const buildingLoad: ScenarioInput['buildingLoad'] = [];
  for (let t = 0; t < durationSeconds; t += 15 + Math.floor(random() * 30)) {
    const base = low + random() * (high - low);
    buildingLoad.push({
      atSeconds: t,
      amps: [0, 1, 2].map(() => Math.round(base * (0.85 + random() * 0.3))) as [number, number, number],
    });
  }
  const events: ScenarioInput['events'] = [];
  const vipAt = Math.floor(durationSeconds * (0.3 + random() * 0.2));
  for (const chargerId of options.chargerIds) {
    let t = Math.floor(random() * durationSeconds * 0.3);
    while (t < durationSeconds) {
      const vip =
        options.vipTag !== undefined &&
        t >= vipAt &&
        !events.some((e) => e.type === 'arrive' && e.idTag === options.vipTag);
      const car = {
        initialSoc: Math.round(random() * 60) / 100 + 0.1,
        maxAmps: pick([16, 32, 32]),
        phases: pick([1, 3, 3] as const),
      };
      events.push({
        type: 'arrive',
        atSeconds: t,
        chargerId,
        idTag: vip && options.vipTag !== undefined ? options.vipTag : pick(options.idTags),
        car,
      });
      const leaveAt = t + 30 + Math.floor(random() * durationSeconds * 0.5);
      if (leaveAt >= durationSeconds) break;
      events.push({ type: 'depart', atSeconds: leaveAt, chargerId });
      t = leaveAt + 10 + Math.floor(random() * 60);
    }
  }
  events.sort((a, b) => a.atSeconds - b.atSeconds);
  return ScenarioSchema.parse({
    $schemaVersion: 1,
    name: `random-${options.seed}`,
    durationSeconds,
    buildingLoad,
    events,
  });
}
