/**
 * Allocation scenarios kept as data: a site, a policy and rounds of runtime state, each with the expected
 * allocation. Times are written as ISO instants and ages in seconds, so that a scenario reads like a story.
 */
import { z } from 'zod';
import type { Allocation, SiteSnapshot } from '../../shared/allocation/allocation-types';
import { ALLOCATION_REASONS } from '../../shared/allocation/allocation-types';
import { PolicySchema, type Policy } from '../../shared/policy/policy-schema';
import { SiteSchema, type Site } from '../../shared/site/site-schema';
import { CONNECTOR_STATUSES, LINK_STATES, type ConnectorState, type MeterReading } from '../../shared/site/site-state';

const amps3 = z.tuple([z.number(), z.number(), z.number()]);

const ConnectorInputSchema = z
  .object({
    status: z.enum(CONNECTOR_STATUSES).default('Charging'),
    link: z.enum(LINK_STATES).default('online'),
    session: z.boolean().default(true),
    idTag: z.string().optional(),
    energyWh: z.number().default(0),
    startedMinutesAgo: z.number().default(60),
    measuredAmps: amps3.optional(),
    measuredSecondsAgo: z.number().default(5),
    /** The limit the car was steady at while measured (two agreeing samples after its response time). */
    measuredSteadyAtAmps: z.number().optional(),
    carPhases: z.literal([1, 2, 3]).optional(),
  })
  .strict();

const MeterInputSchema = z
  .object({ amps: amps3, secondsAgo: z.number().default(1), valid: z.boolean().default(true) })
  .strict();

const ExpectedConnectorSchema = z
  .object({
    amps: z.number().optional(),
    reason: z.enum(ALLOCATION_REASONS).optional(),
    activity: z.enum(['active', 'paused', 'idle']).optional(),
    phaseAmps: amps3.optional(),
    carCapAmps: z.number().optional(),
  })
  .strict();

const RoundSchema = z
  .object({
    at: z.iso.datetime(),
    note: z.string().optional(),
    connectors: z.record(z.string(), ConnectorInputSchema),
    meters: z.record(z.string(), MeterInputSchema).default({}),
    expect: z
      .object({
        connectors: z.record(z.string(), ExpectedConnectorSchema).default({}),
        totalAmps: amps3.optional(),
        circuits: z
          .record(
            z.string(),
            z
              .object({
                allocatedAmps: amps3.optional(),
                limitAmps: amps3.optional(),
                meter: z.enum(['none', 'ok', 'lost']).optional(),
              })
              .strict(),
          )
          .default({}),
        budget: z
          .object({ value: z.number(), source: z.enum(['static', 'schedule']) })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    source: z.string().optional(),
    site: SiteSchema,
    policy: PolicySchema,
    rounds: z.array(RoundSchema).min(1),
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioRound = Scenario['rounds'][number];

/** The allocator's inputs for one round of a scenario. */
export function roundSnapshot(
  site: Site,
  round: ScenarioRound,
  previous: Allocation | undefined,
): { snapshot: SiteSnapshot; now: number } {
  const now = Date.parse(round.at);
  const connectors = Object.entries(round.connectors).map(
    ([ref, c]): ConnectorState => ({
      ref,
      status: c.status,
      link: c.link,
      ...(c.session
        ? {
            session: {
              id: `tx-${ref}`,
              ...(c.idTag === undefined ? {} : { idTag: c.idTag }),
              startedAt: now - c.startedMinutesAgo * 60_000,
              energyWh: c.energyWh,
              ...(c.measuredAmps
                ? {
                    measured: {
                      amps: c.measuredAmps,
                      at: now - c.measuredSecondsAgo * 1000,
                      ...(c.measuredSteadyAtAmps !== undefined && { steadyAtAmps: c.measuredSteadyAtAmps }),
                    },
                  }
                : {}),
              ...(c.carPhases === undefined ? {} : { carPhases: c.carPhases }),
            },
          }
        : {}),
    }),
  );
  const meters = Object.entries(round.meters).map(
    ([meterId, m]): MeterReading => ({ meterId, amps: m.amps, at: now - m.secondsAgo * 1000, valid: m.valid }),
  );
  return { snapshot: { site, connectors, meters, ...(previous ? { previous } : {}) }, now };
}

export type { Policy };
