/**
 * Ingests one batch a site gateway published on `ampshare/gateways/<thingName>/<stream>`: validates it, attributes it
 * to the publishing gateway's tenant and site (its registration: the topic's thing must be the publisher), and stores each new message once; a session's row only moves forward
 * (the session repository's conditional write: a start delivered after its stop does not reopen it). Bad input is reported in the result, never thrown; a data store failure throws (an `internal` AppError) so that the caller's delivery is retried,
 * which is safe because a retry only stores what the ledger has not recorded yet.
 */
import { parseGatewayStreamTopic } from '../../shared/sync/sync-topics';
import type { SiteMessage } from '../../shared/sync/sync-messages';
import { attributeThing } from './gateway-attribution';
import type { IngestDeps } from './ingest-deps';
import { refusedBatch, type IngestRejection, type IngestResult } from './ingest-result';
import { readSiteBatch, type BatchPayload } from './read-site-batch';
import { siteRecords } from './site-message-records';

export interface IngestInput {
  /**
   * The publishing gateway (MQTT client id = thing name; the IoT rule passes `clientid()`). It is what ties the
   * batch to a tenant, so a batch without it is refused.
   */
  readonly thingName?: string;
  readonly topic: string;
  readonly payload: BatchPayload;
}

export async function ingestBatch(deps: IngestDeps, input: IngestInput): Promise<IngestResult> {
  const route = parseGatewayStreamTopic(input.topic);
  if (!route) {
    return refusedBatch({
      code: 'message.invalid',
      reason: `"${input.topic}" is not a gateway stream topic`,
      issues: [{ path: 'topic', message: 'expected ampshare/gateways/<thingName>/<telemetry|sessions|events>' }],
    });
  }
  const context = { stream: route.stream };
  const batch = readSiteBatch(input.payload);
  if (!batch.ok) return refusedBatch({ code: 'message.invalid', reason: batch.reason, issues: batch.issues }, context);
  const received = batch.messages.length;

  if (input.thingName === undefined || input.thingName === '') {
    return refusedBatch(
      {
        code: 'auth.forbidden',
        reason: 'the publishing gateway is unknown, so the batch cannot be attributed to a tenant',
        issues: [{ path: 'thingName', message: 'required' }],
      },
      { ...context, received },
    );
  }
  if (input.thingName !== route.thingName) {
    const reason = `gateway "${input.thingName}" published on the topic of gateway "${route.thingName}"`;
    return refusedBatch(
      { code: 'auth.forbidden', reason, issues: [{ path: 'topic', message: reason }] },
      { ...context, received },
    );
  }
  const attribution = await attributeThing(deps.repositories.gateways, input.thingName);
  if (!attribution.ok)
    return refusedBatch(
      {
        code: 'auth.forbidden',
        reason: attribution.reason,
        issues: [{ path: 'thingName', message: attribution.reason }],
      },
      { ...context, received },
    );
  const { tenantId, siteId } = attribution.registration;

  const rejected: IngestRejection[] = [];
  const valid: SiteMessage[] = [];
  for (const read of batch.messages) {
    if (!read.ok) {
      rejected.push({
        index: read.index,
        ...(read.messageId !== undefined ? { messageId: read.messageId } : {}),
        code: 'message.invalid',
        reason: 'invalid message',
        issues: read.issues,
      });
    } else if (read.message.siteId !== siteId) {
      rejected.push(
        mismatch(
          read.index,
          read.message.messageId,
          'siteId',
          `message is for site "${read.message.siteId}", published by the gateway of site "${siteId}"`,
        ),
      );
    } else if (read.message.stream !== route.stream) {
      rejected.push(
        mismatch(
          read.index,
          read.message.messageId,
          'stream',
          `a "${read.message.stream}" message on the "${route.stream}" topic`,
        ),
      );
    } else {
      valid.push(read.message);
    }
  }

  const seen = await deps.ledger.seen(
    tenantId,
    siteId,
    valid.map((m) => m.messageId),
  );
  const fresh: SiteMessage[] = [];
  const freshIds = new Set<string>();
  for (const message of valid) {
    if (seen.has(message.messageId) || freshIds.has(message.messageId)) continue;
    freshIds.add(message.messageId);
    fresh.push(message);
  }

  if (fresh.length > 0) {
    const records = siteRecords(tenantId, fresh);
    const { telemetry, sessions, events, demandMonths, clusterNodes, clusterHealth, clusterMajority } =
      deps.repositories;
    if (records.telemetry.length > 0) await telemetry.put(records.telemetry);
    for (const month of records.demandMonths) await demandMonths.report(month);
    for (const session of records.sessions) await sessions.put(session);
    if (records.events.length > 0) await events.put(records.events);
    for (const node of records.clusterNodes) await clusterNodes.report(node);
    for (const node of records.clusterHealth) await clusterHealth.report(node);
    for (const node of records.clusterMajority) await clusterMajority.report(node);
    // Recorded only once the rows are written: a failure above leaves the ids unrecorded, so a redelivery stores them.
    await deps.ledger.record(tenantId, siteId, [...freshIds], deps.clock());
  }

  return {
    ...context,
    siteId,
    tenantId,
    received,
    stored: fresh.length,
    duplicates: valid.length - fresh.length,
    rejected,
  };
}

function mismatch(index: number, messageId: string, path: string, reason: string): IngestRejection {
  return {
    index,
    messageId,
    code: 'auth.forbidden',
    reason,
    issues: [{ path: `messages[${index}].${path}`, message: reason }],
  };
}
