/**
 * A closed-loop scenario as data: the site and policy, how fast chargers and the meter report, and what happens
 * (building load steps and noise, cars arriving and leaving, chargers dropping off, the meter going quiet).
 */
import { z } from 'zod';
import { PolicySchema } from '../../shared/policy/policy-schema';
import { SiteSchema } from '../../shared/site/site-schema';

const seconds = z
  .number()
  .nonnegative()
  .max(7 * 86_400);
const amps = z.number().nonnegative().max(10_000);
const phaseAmps = z.union([amps, z.tuple([amps, amps, amps])]);

export const PlantCarSchema = z
  .object({
    /** `<chargerId>/<connectorId>`. */
    ref: z.string().regex(/^[^/]+\/[0-9]+$/),
    arriveSeconds: seconds,
    leaveSeconds: seconds.optional(),
    /** The most the car takes per phase, whatever it is offered. */
    maxAmps: amps.default(32),
    /** The energy the car takes before it is full and stops drawing (SuspendedEV); without it, it never fills. */
    needWh: z.number().positive().max(1_000_000).optional(),
    phases: z.literal([1, 2, 3]).default(3),
    /** Seconds from plug-in to the first current. */
    startSeconds: seconds.default(3),
    delaySeconds: z.number().min(0).max(5).default(0.5),
    rampSeconds: z.number().min(0).max(5).default(1),
    idTag: z.string().min(1).max(20).default('TAG'),
  })
  .strict()
  .refine((car) => car.delaySeconds + car.rampSeconds <= 5, {
    message: 'IEC 61851 gives a car at most 5 s to follow a limit: delaySeconds + rampSeconds must not exceed 5',
    path: ['rampSeconds'],
  });

export const BuildingStepSchema = z
  .object({
    atSeconds: seconds,
    /** Load of the circuit's other consumers from then on, per phase. */
    amps: phaseAmps,
    circuit: z.string().min(1).optional(),
  })
  .strict();

export const PlantScenarioSchema = z
  .object({
    site: SiteSchema,
    policy: PolicySchema,
    durationSeconds: z.number().positive().max(86_400),
    meter: z
      .object({
        pollSeconds: z.number().positive().max(60).default(1),
        /** Uniform noise added to each phase of each reading, +- this. */
        noiseAmps: amps.default(0),
      })
      .strict()
      .default({ pollSeconds: 1, noiseAmps: 0 }),
    chargers: z
      .object({
        /** MeterValues interval (OCPP MeterValueSampleInterval). */
        meterValuesSeconds: z.number().positive().max(3600).default(10),
        /** How long a charger takes to answer SetChargingProfile. */
        answerMs: z.number().nonnegative().max(60_000).default(300),
        noiseAmps: amps.default(0),
        /** Whether chargers take the agent's idle hold (a 0 A default above the fail-safe); some support one level only. */
        idleHold: z.boolean().default(true),
        /**
         * From a boot until its fail-safe default is set (the boot configuration's fourth call); without it, four
         * answers. A charger that just booted is often slower than that.
         */
        bootConfigurationMs: z.number().nonnegative().max(600_000).optional(),
        /**
         * Boots are answered at once, as a cluster node and a CSMS in front of the agent answer them, instead of once the
         * charger is protected (docs/ocpp.md, "At boot"): a car that plugs in after the charger is back starts at once,
         * on whatever it holds, which the loop must reserve.
         */
        bootAnsweredAtOnce: z.boolean().default(false),
      })
      .strict()
      .default({ meterValuesSeconds: 10, answerMs: 300, noiseAmps: 0, idleHold: true, bootAnsweredAtOnce: false }),
    cars: z.array(PlantCarSchema).max(5_000).default([]),
    /** Other consumers' load; without a circuit, the root's. */
    building: z.array(BuildingStepSchema).max(10_000).default([]),
    dropouts: z
      .array(z.object({ chargerId: z.string().min(1), fromSeconds: seconds, toSeconds: seconds }).strict())
      .max(1_000)
      .default([]),
    meterLoss: z
      .array(z.object({ meterId: z.string().min(1), fromSeconds: seconds, toSeconds: seconds }).strict())
      .max(1_000)
      .default([]),
    /** Chargers that hold no charging profile when the run starts (new ones, or reset): they boot when they connect. */
    unconfigured: z.array(z.string().min(1)).max(1_000).default([]),
    /**
     * Chargers that reboot and lose every profile (lease, idle hold, fail-safe default): their cars' transactions end,
     * they are gone for `downSeconds` and boot again, holding nothing until their boot configuration lands.
     */
    reboots: z
      .array(
        z
          .object({
            chargerId: z.string().min(1),
            atSeconds: seconds,
            downSeconds: z.number().positive().max(600).default(2),
          })
          .strict(),
      )
      .max(1_000)
      .default([]),
    /** Pseudo-random seed for the noise, so a run is reproducible. */
    seed: z.number().int().default(1),
  })
  .strict();

export type PlantScenarioInput = z.input<typeof PlantScenarioSchema>;
export type PlantScenario = z.output<typeof PlantScenarioSchema>;
export type PlantCar = z.output<typeof PlantCarSchema>;
