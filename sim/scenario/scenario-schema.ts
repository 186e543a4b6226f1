/** A site scenario as data: building load over time, cars arriving (with id tags, VIP or not) and leaving, meter faults. */
import { z } from 'zod';
import { SERVER_MODES } from '../meter/server-mode';

const seconds = z
  .number()
  .nonnegative()
  .max(7 * 86_400);
const amps = z.number().nonnegative().max(10_000);

export const ScenarioCarSchema = z
  .object({
    batteryKwh: z.number().positive().max(300).default(60),
    initialSoc: z.number().min(0).max(1).default(0.3),
    maxAmps: amps.default(32),
    phases: z.literal([1, 2, 3]).default(3),
    taperFromSoc: z.number().min(0).max(1).default(0.8),
  })
  .strict();

const at = { atSeconds: seconds };

export const ScenarioEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('arrive'),
      ...at,
      chargerId: z.string().min(1),
      idTag: z.string().min(1).max(20),
      car: ScenarioCarSchema.default(() => ScenarioCarSchema.parse({})),
    })
    .strict(),
  z.object({ type: z.literal('depart'), ...at, chargerId: z.string().min(1) }).strict(),
  /** The meter simulator misbehaves (`silent`, `garbage`) or recovers (`normal`). */
  z.object({ type: z.literal('meterMode'), ...at, mode: z.enum(SERVER_MODES) }).strict(),
]);

export const ScenarioSchema = z
  .object({
    $schemaVersion: z.literal(1),
    name: z.string().min(1).max(100),
    description: z.string().max(2000).optional(),
    durationSeconds: seconds,
    /** Other consumers at the grid meter: a step function, amps on L1, L2, L3 (or the same on all) from each time on. */
    buildingLoad: z.array(z.object({ ...at, amps: z.union([amps, z.tuple([amps, amps, amps])]) }).strict()).min(1),
    events: z.array(ScenarioEventSchema).max(100_000),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.events.forEach((e, i) => {
      if (e.atSeconds > s.durationSeconds)
        ctx.addIssue({ code: 'custom', path: ['events', i, 'atSeconds'], message: 'after the end of the scenario' });
    });
  });

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioEvent = z.output<typeof ScenarioEventSchema>;
export type ScenarioCar = z.output<typeof ScenarioCarSchema>;

/** Building load per phase at `seconds` into the scenario. */
export function buildingLoadAt(scenario: Scenario, seconds: number): readonly [number, number, number] {
  let current: number | readonly [number, number, number] = 0;
  for (const step of scenario.buildingLoad) if (step.atSeconds <= seconds) current = step.amps;
  return typeof current === 'number' ? [current, current, current] : current;
}
