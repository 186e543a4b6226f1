/** The `upstream` settings of the offline tests: a CSMS given up on within a second, links retried within 100 ms. */
import type { UpstreamConfigInput } from '../../../../edge/upstream/upstream-config';
import type { TsOcppCsms } from './ts-ocpp-csms';

export const offlineUpstream = (csms: TsOcppCsms): UpstreamConfigInput => ({
  csmsUrl: csms.url,
  unknownTags: 'accept',
  answerTimeoutMs: 1_000,
  callTimeoutMs: 500,
  reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
});

/** `ms` as an OCPP timestamp, to the second (as chargers send them). */
export const isoSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
