/**
 * Each handler checks its event before it builds anything: these run with no environment and no AWS, and a malformed
 * event fails with `message.invalid` naming the bad field (the good paths are in test/integration/cloud/handlers).
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { handler as api } from '../../../../cloud/handlers/api';
import { handler as ingest } from '../../../../cloud/handlers/ingest';
import { handler as policyPush, MAX_PUSH_SITES } from '../../../../cloud/handlers/policy-push';
import { handler as shadowSync } from '../../../../cloud/handlers/shadow-sync';

async function failure(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('handler event validation', () => {
  it.each([
    ['api: a REST (payload 1.0) event', () => api({ httpMethod: 'GET', path: '/sites', headers: {} }), 'version'],
    [
      'ingest: a rule event instead of a queue event',
      () => ingest({ payload: 'e30=', topic: 'ampshare/gateways/amp-s1-1/telemetry' }),
      'Records',
    ],
    ['ingest: a queue event without records', () => ingest({ Records: [] }), 'Records'],
    ['ingest: a record without its message id', () => ingest({ Records: [{ body: '{}' }] }), 'Records[0].messageId'],
    ['shadow-sync: a bad thing name', () => shadowSync({ thingName: 'a/b', current: {} }), 'thingName'],
    ['shadow-sync: no current document', () => shadowSync({ thingName: 'amp-s1-x' }), 'current'],
    ['policy-push: no site', () => policyPush({ tenantId: 'acme', siteIds: [] }), 'siteIds'],
    [
      'policy-push: too many sites',
      () => policyPush({ tenantId: 'acme', siteIds: Array.from({ length: MAX_PUSH_SITES + 1 }, (_, i) => `s${i}`) }),
      'siteIds',
    ],
  ])('should refuse %s', async (_name, run, path) => {
    const error = await failure(run);
    expect(error.code).toBe('message.invalid');
    expect(error.details.map((d) => d.path)).toContain(path);
  });
});
