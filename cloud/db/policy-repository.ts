/**
 * DynamoDB policies. The desired policy is the newest of its numbered versions (the history), so a replacement
 * is one conditional put of version n+1: two editors that both read version n cannot both win, and there is no
 * second item to keep in step (this also works on dynalite, which has no transactions).
 */
import { EntityRepository, type FormattedItem } from 'dynamodb-toolbox';
import { AppError } from '../../shared/errors';
import { englishMessage } from '../../shared/server-messages';
import type { AppliedPolicyRecord, PolicyRepository, PolicyVersionRecord } from '../ports/policy-repository';
import { conditionalWrite, dataOperation } from './db-errors';
import type { FleetEntities } from './fleet-table';
import { POLICY_VERSION_PREFIX, policyVersionSortKey, sitePartition } from './keys';

function toVersion(item: FormattedItem<FleetEntities['policyVersion']>): PolicyVersionRecord {
  const { tenantId, siteId, version, policy, createdAt, author, source } = item;
  return { tenantId, siteId, version, policy, createdAt, source, ...(author !== undefined ? { author } : {}) };
}

function toApplied(item: FormattedItem<FleetEntities['appliedPolicy']>): AppliedPolicyRecord {
  const { tenantId, siteId, version, status, source, message, reportedAt, policy } = item;
  return {
    tenantId,
    siteId,
    version,
    status,
    reportedAt,
    ...(source !== undefined ? { source } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(policy !== undefined ? { policy } : {}),
  };
}

const conflict = (expected: number, actual: number) => {
  const current = { reason: 'policy.currentVersion', params: { current: actual } } as const;
  return AppError.because('resource.conflict', 'policy.stale', { current: actual, expected }, [
    { path: 'expectedVersion', message: englishMessage(current), ...current },
  ]);
};

export function createPolicyRepository(
  entities: Pick<FleetEntities, 'policyVersion' | 'appliedPolicy'>,
): PolicyRepository {
  const versions = entities.policyVersion.build(EntityRepository);
  const applied = entities.appliedPolicy.build(EntityRepository);

  const newest = async (tenantId: string, siteId: string) => {
    const { Items = [] } = await versions.query(
      { partition: sitePartition(tenantId, siteId), range: { beginsWith: POLICY_VERSION_PREFIX } },
      { reverse: true, limit: 1, consistent: true },
    );
    return Items[0] && toVersion(Items[0]);
  };

  return {
    getDesired: (tenantId, siteId) => dataOperation('read the desired policy', () => newest(tenantId, siteId)),

    putDesired: async ({ tenantId, siteId, policy, expectedVersion, author, source }, now) => {
      const current = await dataOperation('read the desired policy', () => newest(tenantId, siteId));
      const currentVersion = current?.version ?? 0;
      if (currentVersion !== expectedVersion) throw conflict(expectedVersion, currentVersion);
      const record: PolicyVersionRecord = {
        tenantId,
        siteId,
        version: expectedVersion + 1,
        policy,
        createdAt: now,
        source,
        ...(author !== undefined ? { author } : {}),
      };
      try {
        await conditionalWrite('write a policy version', 'policy version conflict', () =>
          versions.put(record, { condition: { attr: 'tenantId', exists: false } }),
        );
      } catch (error) {
        throw AppError.match(error, 'resource.conflict') ? conflict(expectedVersion, expectedVersion + 1) : error;
      }
      return record;
    },

    history: (tenantId, siteId, { limit, beforeVersion }) =>
      dataOperation('read the policy history', async () => {
        const upper =
          beforeVersion === undefined ? `${POLICY_VERSION_PREFIX}~` : policyVersionSortKey(beforeVersion - 1);
        const { Items = [], LastEvaluatedKey } = await versions.query(
          { partition: sitePartition(tenantId, siteId), range: { between: [policyVersionSortKey(0), upper] } },
          { reverse: true, limit },
        );
        const items = Items.map(toVersion);
        const last = items.at(-1);
        return LastEvaluatedKey && last && last.version > 1 ? { items, nextBeforeVersion: last.version } : { items };
      }),

    getApplied: (tenantId, siteId) =>
      dataOperation('read the applied policy', async () => {
        const { Item } = await applied.get({ tenantId, siteId });
        return Item && toApplied(Item);
      }),

    putApplied: (record) =>
      dataOperation('record the applied policy', async () => {
        await applied.put(record);
      }),
  };
}
