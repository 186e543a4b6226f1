/** What the allocator knows about a site at one moment: connector states, sessions, measurements and meters. */
import { z } from 'zod';
import type { DeepReadonly } from '../deep-readonly';
import { ConnectorRefSchema } from './connector-ref';
import { IdSchema } from './site-schema';

const amps = z.number().finite().nonnegative().max(100_000);
const PhaseAmpsSchema = z.tuple([amps, amps, amps]);
const EpochMsSchema = z.number().int().nonnegative();

/** OCPP 1.6 connector states (StatusNotification). */
export const CONNECTOR_STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const;
export type ConnectorStatus = (typeof CONNECTOR_STATUSES)[number];

/** How the agent reaches the charger: `offline` chargers run on their fail-safe profile, `unresponsive` ones keep their last limit. */
export const LINK_STATES = ['online', 'offline', 'unresponsive'] as const;
export type LinkState = (typeof LINK_STATES)[number];

export const MeasurementSchema = z
  .object({
    /** Current on the charger's own L1, L2, L3 (not grid phases). */
    amps: PhaseAmpsSchema,
    at: EpochMsSchema,
    /**
     * The limit the car held while it drew this, when at least two samples taken once it had its response time to
     * follow that limit agree: it is steady there, so closed loop may judge it without waiting `settleSeconds`.
     */
    steadyAtAmps: amps.optional(),
  })
  .strict();

export const SessionSchema = z
  .object({
    id: z.string().min(1).max(64),
    idTag: z.string().min(1).max(20).optional(),
    startedAt: EpochMsSchema,
    energyWh: z.number().finite().nonnegative().default(0),
    measured: MeasurementSchema.optional(),
    /** Phases the car charges on, when known; otherwise detected from the measurement or taken from the charger. */
    carPhases: z.literal([1, 2, 3]).optional(),
  })
  .strict();

export const ConnectorStateSchema = z
  .object({
    ref: ConnectorRefSchema,
    status: z.enum(CONNECTOR_STATUSES),
    link: z.enum(LINK_STATES).default('online'),
    session: SessionSchema.optional(),
    /**
     * What an offline or unresponsive charger enforces on this connector on its own (a lease until it expires, else
     * its fail-safe default), reserved as if drawn; without it the allocator assumes the policy's fail-safe current.
     * On an online connector without a car: what a car plugging in would get from a charger that holds no fail-safe
     * default yet (it just booted), reserved the same way.
     */
    enforcedAmps: amps.optional(),
    /**
     * What an offline charger gives a car it holds no lease for (its fail-safe default, or its own maximum when it
     * refused that); without it the allocator assumes the policy's fail-safe current.
     */
    unleasedAmps: amps.optional(),
  })
  .strict();

export const MeterReadingSchema = z
  .object({
    meterId: IdSchema,
    /** Current per grid phase at the meter. */
    amps: PhaseAmpsSchema,
    at: EpochMsSchema,
    valid: z.boolean().default(true),
  })
  .strict();

// Deeply readonly: they are part of the allocator's snapshot.
export type Measurement = DeepReadonly<z.output<typeof MeasurementSchema>>;
export type Session = DeepReadonly<z.output<typeof SessionSchema>>;
export type ConnectorState = DeepReadonly<z.output<typeof ConnectorStateSchema>>;
export type MeterReading = DeepReadonly<z.output<typeof MeterReadingSchema>>;

/** Statuses in which a connector with a session wants current. */
export const REQUESTING_STATUSES: ReadonlySet<ConnectorStatus> = new Set([
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
]);
