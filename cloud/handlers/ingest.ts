/**
 * Lambda entry of the ingest IoT rule: one site batch (telemetry, sessions or events) per invocation. The rule passes
 * the raw payload base64-encoded, so that a payload that is not JSON still arrives and is refused with a reason.
 * Validation, attribution and idempotency by message id are the core's (cloud/ingest); a data store failure throws,
 * so that Lambda's asynchronous retries deliver the batch again.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../shared/validation';
import { ingestBatch } from '../ingest/ingest-batch';
import type { IngestResult } from '../ingest/ingest-result';
import { createHandlerLogger, createIngestDeps } from './aws-deps';
import { parseHandlerEnv, TableEnvSchema } from './handler-env';
import { oncePerContainer } from './once-per-container';

/** What the rule's SQL selects (infra/iot-stack.ts): `encode(*, 'base64') AS payload, topic() AS topic, clientid() AS clientId`. */
export const IngestEventSchema = z
  .object({
    payload: z.base64(),
    topic: z.string().min(1).max(256),
    /** The MQTT client id, which the gateway policy forces to be the thing name. */
    clientId: z.string().min(1).max(128).optional(),
  })
  .strict();

const deps = oncePerContainer(() => {
  const env = parseHandlerEnv(TableEnvSchema);
  return Promise.resolve({ ingest: createIngestDeps(env), logger: createHandlerLogger('ingest', env) });
});

export async function handler(event: unknown): Promise<IngestResult> {
  const { payload, topic, clientId } = parseOrThrow(IngestEventSchema, event, 'message.invalid', 'ingest rule event');
  const { ingest, logger } = await deps();
  const result = await ingestBatch(ingest, { topic, payload: Buffer.from(payload, 'base64'), ...(clientId !== undefined ? { thingName: clientId } : {}) });
  const summary = { topic, thingName: clientId, received: result.received, stored: result.stored, duplicates: result.duplicates };
  if (result.rejected.length > 0) logger.warn({ ...summary, rejected: result.rejected }, 'site batch partly or wholly rejected');
  else logger.info(summary, 'site batch ingested');
  return result;
}
