/** The dashboard's view of the links to the operator's CSMS (`GET /api/upstream`), defined once for the agent and the page. */
import { z } from 'zod';

const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();

/** Most provisional ids listed per charger (a charger holds one per transaction the CSMS has not closed yet). */
export const MAX_LISTED_MAPPINGS = 100;
/** Most messages set aside listed at once. */
export const MAX_LISTED_SET_ASIDE = 200;

export const UpstreamChargerSchema = z.object({
  chargerId: z.string(),
  /** Whether its link to the CSMS is open now. */
  connected: z.boolean(),
  /**
   * Whether the charger itself is connected to the agent. A link open while it is not is kept only to deliver the
   * messages it left queued: the CSMS gets them, but the charger is offline.
   */
  chargerConnected: z.boolean(),
  /** When it last opened or closed; null before the charger first connected. */
  since: epochMs.nullable(),
  backlogMessages: count,
  /** When the oldest message still waiting for the CSMS was queued. */
  oldestQueuedAt: epochMs.nullable(),
  /** Provisional transaction ids the charger holds, with the CSMS's id once it gave one. */
  mappings: z
    .array(z.object({ provisionalId: z.number().int(), realId: z.number().int().nullable() }))
    .max(MAX_LISTED_MAPPINGS),
  setAside: z.object({ refused: count, unmapped: count }),
  /** Meter values the backlog's bound dropped (the curve of a long outage thinned). */
  thinnedMeterValues: count,
});

export const UpstreamAnswerSchema = z.object({
  /** False when the agent runs without an `upstream` section (it is the chargers' only central system). */
  enabled: z.boolean(),
  chargers: z.array(UpstreamChargerSchema).max(10_000),
});

export const SetAsideMessageSchema = z.object({
  seq: z.number().int().positive(),
  chargerId: z.string(),
  action: z.string(),
  reason: z.enum(['refused', 'unmapped']),
  queuedAt: epochMs,
  payload: z.string(),
});

export const SetAsideAnswerSchema = z.object({ messages: z.array(SetAsideMessageSchema).max(MAX_LISTED_SET_ASIDE) });

export type UpstreamCharger = z.output<typeof UpstreamChargerSchema>;
export type UpstreamAnswer = z.output<typeof UpstreamAnswerSchema>;
export type SetAsideMessageView = z.output<typeof SetAsideMessageSchema>;
export type SetAsideAnswer = z.output<typeof SetAsideAnswerSchema>;
