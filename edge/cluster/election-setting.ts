/**
 * The site's election setting (static or dynamic, and the static order), kept in etcd under one key so that every node
 * follows the same one: a node reads it each time it decides whether to campaign (election-candidacy.ts), and the
 * dashboard changes it with a compare-and-swap on the key's mod revision (its version; "0" while the key is absent and
 * the configuration's `election` and `staticOrder` are in force). A change needs etcd's quorum: without it the write
 * fails and the change is refused, so no node can follow a setting the others cannot read.
 */
import type { Etcd3 } from 'etcd3';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { englishMessage } from '../../shared/server-messages';
import { IdSchema } from '../../shared/site/site-schema';
import { ELECTION_TYPES, type ElectionType } from './cluster-config';

export interface ElectionSetting {
  readonly electionType: ElectionType;
  readonly staticOrder: readonly string[];
}

/** A setting as read: its version for the next change, and whether it came from etcd or is the configuration's. */
export interface VersionedElectionSetting extends ElectionSetting {
  readonly version: string;
  readonly source: 'configuration' | 'etcd';
}

const StoredSettingSchema = z
  .object({ electionType: z.enum(ELECTION_TYPES), staticOrder: z.array(IdSchema).min(1).max(9) })
  .strict();

export class ElectionSettingStore {
  private lastRead: VersionedElectionSetting;

  constructor(
    private readonly client: Etcd3,
    /** The setting's key, e.g. `ampshare/site-1/settings/election`. */
    private readonly key: string,
    /** The configuration's setting: in force until a change is written, and the nodes a static order must list. */
    private readonly configured: ElectionSetting,
  ) {
    this.lastRead = { ...configured, version: '0', source: 'configuration' };
  }

  /** The setting in etcd now (the configuration's while none was written); rejects when etcd does not answer. */
  async read(): Promise<VersionedElectionSetting> {
    const answer = await this.client.get(this.key).exec();
    const kv = answer.kvs[0];
    const stored = kv === undefined ? undefined : StoredSettingSchema.safeParse(parseJson(kv.value.toString()));
    // A value that is not a setting was not written by a node (they write only through `change`): the configuration's
    // setting stays in force, at the key's version, so the next change replaces it.
    this.lastRead =
      stored?.success === true
        ? { ...stored.data, version: kv?.mod_revision ?? '0', source: 'etcd' }
        : { ...this.configured, version: kv?.mod_revision ?? '0', source: 'configuration' };
    return this.lastRead;
  }

  /** The setting this node read last (the configuration's before its first read): what it follows while etcd is silent. */
  current(): VersionedElectionSetting {
    return this.lastRead;
  }

  /**
   * Writes `setting` if the key is still at `version`. Refused: an order that does not list each configured node once
   * (400), a setting changed since `version` (409), etcd without quorum or silent (503, nothing written).
   */
  async change(setting: ElectionSetting, version: string): Promise<VersionedElectionSetting> {
    this.checkOrder(setting.staticOrder);
    let result;
    try {
      result = await this.client
        .if(this.key, 'Mod', '==', version)
        .then(this.client.put(this.key).value(JSON.stringify(setting)))
        .else(this.client.get(this.key))
        .commit();
    } catch (error) {
      const ref = { reason: 'cluster.noQuorum' } as const;
      throw new AppError('cluster.noQuorum', englishMessage(ref), [], { cause: error, ref });
    }
    if (!result.succeeded) {
      const current = result.responses[0]?.response_range?.kvs?.[0]?.mod_revision ?? '0';
      throw AppError.because('resource.conflict', 'cluster.electionStale', { expected: version, current });
    }
    return this.read().catch(() => ({ ...setting, version: result.header.revision, source: 'etcd' as const }));
  }

  private checkOrder(order: readonly string[]): void {
    const nodes = this.configured.staticOrder;
    if (order.length === nodes.length && new Set(order).size === order.length && order.every((n) => nodes.includes(n)))
      return;
    const message = { reason: 'cluster.orderNodes', params: { nodes: nodes.join(', ') } } as const;
    throw AppError.because('message.invalid', 'cluster.orderNodes', message.params, [
      { path: 'staticOrder', message: `must list each node of the site once: ${nodes.join(', ')}`, ...message },
    ]);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
