/**
 * Lambda entry of the shadow-sync IoT rule on `$aws/things/+/shadow/name/policy/update/documents`: records the policy
 * version a site reports as applied, or its rejection. The rule adds the thing name from the topic; the document's
 * shape is checked by the core (cloud/ingest), which reports bad input instead of throwing.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../shared/validation';
import { recordShadowReport, type ShadowReportResult } from '../ingest/record-shadow-report';
import { createHandlerLogger, createIngestDeps } from './aws-deps';
import { parseHandlerEnv, TableEnvSchema } from './handler-env';
import { oncePerContainer } from './once-per-container';

/** What the rule's SQL selects (infra/iot-stack.ts): `topic(3) AS thingName, previous, current, timestamp`. */
export const ShadowSyncEventSchema = z
  .object({
    thingName: z.string().regex(/^[a-zA-Z0-9:_-]{1,128}$/, 'an IoT thing name'),
    current: z.object({}).loose(),
    previous: z.object({}).loose().nullable().optional(),
    timestamp: z.number().optional(),
  })
  .strict();

const deps = oncePerContainer(() => {
  const env = parseHandlerEnv(TableEnvSchema);
  return Promise.resolve({ ingest: createIngestDeps(env), logger: createHandlerLogger('shadow-sync', env) });
});

export async function handler(event: unknown): Promise<ShadowReportResult> {
  const { thingName, ...document } = parseOrThrow(
    ShadowSyncEventSchema,
    event,
    'message.invalid',
    'shadow-sync rule event',
  );
  const { ingest, logger } = await deps();
  const result = await recordShadowReport(ingest, { thingName, document });
  if (result.status === 'rejected') logger.warn({ thingName, result }, 'policy shadow report rejected');
  else logger.info({ thingName, status: result.status }, 'policy shadow report handled');
  return result;
}
