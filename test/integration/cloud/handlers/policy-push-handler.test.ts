/**
 * The policy-push Lambda handler on the real local DynamoDB. The IoT data plane has no local stand-in, so
 * UpdateThingShadow is the one call served by aws-sdk-client-mock here.
 */
import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { handler } from '../../../../cloud/handlers/policy-push';
import { policyInput } from '../support/fleet-builders';
import { startLocalFleetTable, type LocalFleetTable } from '../support/local-fleet-table';
import { seedSite, useLocalTableEnvironment } from './handler-fixtures';

const AT = Date.UTC(2025, 2, 3, 10, 0, 0);
const iotData = mockClient(IoTDataPlaneClient);
let local: LocalFleetTable;

beforeAll(async () => {
  local = await startLocalFleetTable('ampshare-policy-push');
  useLocalTableEnvironment(local, { IOT_DATA_ENDPOINT: 'example-ats.iot.eu-west-1.amazonaws.com' });
  await seedSite(local, { tenantId: 'acme', siteId: 'with-policy', thingName: 'amp-with-policy-1', at: AT });
  await seedSite(local, { tenantId: 'acme', siteId: 'no-policy', thingName: 'amp-no-policy-1', at: AT });
  await seedSite(local, { tenantId: 'acme', siteId: 'no-gateway', at: AT });
  for (const siteId of ['with-policy', 'no-gateway']) {
    await local.repositories.policies.putDesired(
      { tenantId: 'acme', siteId, policy: PolicySchema.parse(policyInput(40)), expectedVersion: 0, source: 'api' },
      AT,
    );
  }
});

afterAll(() => local.stop());
beforeEach(() => iotData.reset());

describe('policy-push Lambda handler', () => {
  it("should publish each site's current desired version to its policy shadow, with a result per site", async () => {
    iotData.on(UpdateThingShadowCommand).resolves({});
    const { results } = await handler({
      tenantId: 'acme',
      siteIds: ['with-policy', 'no-policy', 'no-gateway', 'missing'],
    });
    expect(results).toEqual([
      { siteId: 'with-policy', status: 'sent', version: 1 },
      { siteId: 'no-policy', status: 'noPolicy' },
      { siteId: 'no-gateway', status: 'skipped', version: 1 },
      { siteId: 'missing', status: 'notFound' },
    ]);
    const calls = iotData.commandCalls(UpdateThingShadowCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input).toMatchObject({ thingName: 'amp-with-policy-1', shadowName: 'policy' });
    expect(JSON.parse(new TextDecoder().decode(input.payload as Uint8Array))).toMatchObject({
      state: { desired: { version: 1 } },
    });
  });

  it('should fail the invocation when a push failed, so that Lambda retries it', async () => {
    iotData.on(UpdateThingShadowCommand).rejects(new Error('throttled'));
    await expect(handler({ tenantId: 'acme', siteIds: ['with-policy'] })).rejects.toSatisfy(
      (e) => AppError.match(e, 'internal') && e.message.includes('with-policy'),
    );
  });

  it("should not look at other tenants' sites", async () => {
    const { results } = await handler({ tenantId: 'other', siteIds: ['with-policy'] });
    expect(results).toEqual([{ siteId: 'with-policy', status: 'notFound' }]);
    expect(iotData.commandCalls(UpdateThingShadowCommand)).toHaveLength(0);
  });
});
