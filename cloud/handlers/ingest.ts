/**
 * Lambda entry of the ingest queue (infra/ingest-queue.ts): up to ten records per invocation, each a message an IoT
 * rule sent: a site batch (telemetry, sessions or events) from the ingest rule, or a gateway's connect or disconnect
 * from the presence rule (cloud/ingest/record-presence.ts). The rule passes the raw payload base64-encoded, so that a
 * payload that is not JSON still arrives and is refused with a reason. Validation, attribution and idempotency by
 * message id are the core's (cloud/ingest). A record that cannot be read, or that the core refuses, is logged and
 * acknowledged: receiving it again would not change the answer. A record whose ingest throws (a data store failure)
 * is answered as a batch item failure, so SQS delivers it again and, after every retry, keeps it in the dead-letter queue.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseOrThrow, parseWith } from '../../shared/validation';
import { ingestBatch } from '../ingest/ingest-batch';
import type { IngestDeps } from '../ingest/ingest-deps';
import { PresenceEventSchema, type PresenceEvent } from '../ingest/presence-event';
import { recordPresence, type PresenceDeps } from '../ingest/record-presence';
import { createHandlerLogger, createIngestDeps } from './aws-deps';
import { parseHandlerEnv, TableEnvSchema } from './handler-env';
import { oncePerContainer } from './once-per-container';

/** What the rule's SQL selects (infra/iot-rules.ts): `encode(*, 'base64') AS payload, topic() AS topic, clientid() AS clientId`. */
const IngestEventSchema = z
  .object({
    payload: z.base64(),
    topic: z.string().min(1).max(256),
    /** The MQTT client id, which the gateway policy forces to be the thing name. */
    clientId: z.string().min(1).max(128).optional(),
  })
  .strict();

/** A record's body: the rule's JSON as text, from the ingest rule or the presence rule. */
const RecordBodySchema = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.union([IngestEventSchema, PresenceEventSchema]));

/** The part of an SQS event the handler reads; the other record fields (attributes, ARN) are the event source's. */
const IngestQueueEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() })).min(1),
});
export type IngestQueueRecord = z.output<typeof IngestQueueEventSchema>['Records'][number];

/** The partial batch response (the event source's `ReportBatchItemFailures`): only these records are received again. */
export interface IngestQueueResponse {
  readonly batchItemFailures: Array<{ itemIdentifier: string }>;
}

export interface IngestHandlerDeps {
  readonly ingest: IngestDeps & PresenceDeps;
  readonly logger: Logger;
}

const deps = oncePerContainer(() => {
  const env = parseHandlerEnv(TableEnvSchema);
  return Promise.resolve({ ingest: createIngestDeps(env), logger: createHandlerLogger('ingest', env) });
});

export async function handler(event: unknown): Promise<IngestQueueResponse> {
  const { Records } = parseOrThrow(IngestQueueEventSchema, event, 'message.invalid', 'ingest queue event');
  return ingestRecords(await deps(), Records);
}

/** Ingests each record in turn (a site's batches in the order received) and names the ones to receive again. */
export async function ingestRecords(
  deps: IngestHandlerDeps,
  records: readonly IngestQueueRecord[],
): Promise<IngestQueueResponse> {
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  for (const record of records) {
    if (!(await ingestRecord(deps, record))) batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures };
}

/** False when the record must be received again. */
async function ingestRecord({ ingest, logger }: IngestHandlerDeps, record: IngestQueueRecord): Promise<boolean> {
  const body = parseWith(RecordBodySchema, record.body);
  if (!body.ok) {
    logger.warn(
      { queueMessageId: record.messageId, issues: body.issues },
      'ingest queue message refused: not an ingest rule event',
    );
    return true;
  }
  if ('eventType' in body.value) return ingestPresence({ ingest, logger }, record, body.value);
  const { payload, topic, clientId } = body.value;
  try {
    const result = await ingestBatch(ingest, {
      topic,
      payload: Buffer.from(payload, 'base64'),
      ...(clientId !== undefined ? { thingName: clientId } : {}),
    });
    const summary = {
      queueMessageId: record.messageId,
      topic,
      thingName: clientId,
      received: result.received,
      stored: result.stored,
      duplicates: result.duplicates,
    };
    if (result.rejected.length > 0)
      logger.warn({ ...summary, rejected: result.rejected }, 'site batch partly or wholly rejected');
    else logger.info(summary, 'site batch ingested');
    return true;
  } catch (error) {
    logger.error(
      { queueMessageId: record.messageId, topic, thingName: clientId, err: error },
      'site batch not stored: it stays in the ingest queue',
    );
    return false;
  }
}

/** A gateway's connect or disconnect; false when it must be received again (a data store failure). */
async function ingestPresence(
  { ingest, logger }: IngestHandlerDeps,
  record: IngestQueueRecord,
  event: PresenceEvent,
): Promise<boolean> {
  try {
    const result = await recordPresence(ingest, event);
    logger.info({ queueMessageId: record.messageId, result }, `lifecycle event ${result.status}`);
    return true;
  } catch (error) {
    logger.error(
      { queueMessageId: record.messageId, err: error },
      'lifecycle event not stored: it stays in the ingest queue',
    );
    return false;
  }
}
