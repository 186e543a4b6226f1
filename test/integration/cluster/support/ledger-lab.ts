/**
 * The set-up of the ledger tests that run nodes in this process (RecordedNode) on a real one-member etcd: etcd started
 * once per file; after each test the nodes closed, their SQLite databases closed and their folders removed. Call it
 * inside a `describe`: it registers the hooks there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LeadershipListener } from '../../../../edge/cluster/leadership';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { EtcdCluster } from './etcd-cluster';
import { type NodeSettings, RecordedNode } from './recorded-node';

export interface LedgerLab {
  readonly endpoints: readonly string[];
  /** A node (not campaigning yet), closed after the test unless the test closed it and called `forget`. */
  node(nodeId: string, settings: NodeSettings, also?: LeadershipListener): RecordedNode;
  /** A node's own SQLite database in a new folder. */
  database(name: string): StoreDatabase;
  forget(node: RecordedNode): void;
}

export function ledgerLab(): LedgerLab {
  let etcd: EtcdCluster | undefined;
  const nodes: RecordedNode[] = [];
  const dbs: StoreDatabase[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.close()));
    for (const db of dbs.splice(0)) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await etcd?.stop();
  });
  return {
    get endpoints() {
      if (etcd === undefined) throw new Error('etcd has not started');
      return etcd.endpoints;
    },
    node(nodeId, settings, also) {
      const node = new RecordedNode(nodeId, settings, also);
      nodes.push(node);
      return node;
    },
    database(name) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `ampshare-${name}-`));
      dirs.push(dir);
      const db = openStoreDatabase(dir);
      dbs.push(db);
      return db;
    },
    forget(node) {
      nodes.splice(nodes.indexOf(node), 1);
    },
  };
}
