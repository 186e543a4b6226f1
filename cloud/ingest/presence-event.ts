/**
 * A broker lifecycle event (AWS IoT `$aws/events/presence/{connected,disconnected}/<clientId>`) with the fields the
 * presence rule selects (infra/iot-rules.ts); the local broker publishes the same (cloud/local/presence-events.ts).
 */
import { z } from 'zod';
import { PRESENCE_EVENTS } from '../../shared/sync/sync-topics';

export const PresenceEventSchema = z
  .object({
    clientId: z.string().min(1).max(128),
    eventType: z.enum(PRESENCE_EVENTS),
    /** Epoch ms. */
    timestamp: z.number().int().nonnegative(),
    /** Goes up with each connection of a client id; the connect and the disconnect of one connection share it. */
    versionNumber: z.number().int().nonnegative(),
    clientInitiatedDisconnect: z.boolean().optional(),
    disconnectReason: z.string().min(1).max(64).optional(),
  })
  .strict();

export type PresenceEvent = z.output<typeof PresenceEventSchema>;
