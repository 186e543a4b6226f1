/** The IoT rules' SQL (2016-03-23): what each rule selects is what the matching handler's zod schema expects. */
import { GATEWAY_STREAMS_FILTER, POLICY_SHADOW, PRESENCE_FILTER, SITE_STREAMS } from '../shared/sync/sync-topics';
import { GATEWAY_THING_PREFIX } from './iot-access';

/**
 * Gateway batches to the ingest queue (and from it the ingest Lambda). The payload goes base64-encoded (a payload that is not JSON still reaches the
 * handler, which refuses it with a reason); `clientid()` is the thing name, which the gateway policy enforces, as it
 * does the thing name in the topic (`topic(3)`).
 */
export const INGEST_RULE_SQL =
  `SELECT encode(*, 'base64') AS payload, topic() AS topic, clientid() AS clientId FROM '${GATEWAY_STREAMS_FILTER}' WHERE ` +
  SITE_STREAMS.map((stream) => `topic(4) = '${stream}'`).join(' OR ');

/** The policy shadow's documents (previous and current state) to the shadow-sync Lambda, with the thing name from the topic. */
export const SHADOW_SYNC_RULE_SQL = `SELECT topic(3) AS thingName, previous, current, timestamp FROM '$aws/things/+/shadow/name/${POLICY_SHADOW}/update/documents'`;

/**
 * Gateways' connects and disconnects (IoT lifecycle events) to the ingest queue, which sets the site's connectivity.
 * It selects the fields cloud/ingest/presence-event.ts expects (the disconnect fields are absent from a connect, and
 * IoT SQL leaves an absent field out), and only gateway things' events.
 */
export const PRESENCE_RULE_SQL =
  `SELECT clientId, eventType, timestamp, versionNumber, clientInitiatedDisconnect, disconnectReason FROM '${PRESENCE_FILTER}' ` +
  `WHERE startswith(clientId, '${GATEWAY_THING_PREFIX}')`;
