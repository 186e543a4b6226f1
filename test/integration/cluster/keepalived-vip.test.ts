/**
 * The virtual address follows leadership: two gateways in network namespaces run keepalived with a track script on
 * their agent's leader flag file (edge/cluster/leader-flag-file.ts), two leaderships campaign on a real etcd, and a
 * client in a third namespace dials the virtual address. Skipped, with the reason, where namespaces cannot be made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderFlagFile } from '../../../edge/cluster/leader-flag-file';
import { EtcdCluster } from './support/etcd-cluster';
import { RecordedNode, siteSettings } from './support/recorded-node';
import { VrrpLab, vrrpLabUnavailable } from './support/vrrp-lab';

const WAIT_MS = 20_000;
const unavailable = vrrpLabUnavailable();
if (unavailable !== undefined) console.warn(`keepalived virtual address tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('keepalived virtual address in network namespaces', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Waits until exactly `gateway` holds the virtual address; never sees two holders on the way. */
  async function holderBecomes(lab: VrrpLab, gateway: string): Promise<void> {
    const giveUpAt = Date.now() + WAIT_MS;
    for (;;) {
      const holders = lab.holders();
      expect(holders.length).toBeLessThanOrEqual(1);
      if (holders.length === 1 && holders[0] === gateway) return;
      if (Date.now() > giveUpAt)
        throw new Error(`${gateway} did not hold the address within ${WAIT_MS} ms: ${holders.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('should move the virtual address to the new leader when the leader steps down', async () => {
    // Arrange
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-vrrp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const etcd = await EtcdCluster.start(1);
    cleanups.push(() => etcd.stop());
    const lab = VrrpLab.create(dir);
    cleanups.push(() => lab.destroy());
    lab.startGateways();
    const settings = siteSettings(etcd.endpoints, 2);
    const leads = (node: () => RecordedNode) => () => node().leadership.current() !== undefined;
    const first: RecordedNode = new RecordedNode(
      'gw1',
      settings,
      new LeaderFlagFile(
        lab.flagFile(0),
        leads(() => first),
      ),
    );
    const second: RecordedNode = new RecordedNode(
      'gw2',
      settings,
      new LeaderFlagFile(
        lab.flagFile(1),
        leads(() => second),
      ),
    );
    cleanups.push(
      () => first.close(),
      () => second.close(),
    );
    first.leadership.start();
    await first.electedTimes(1, WAIT_MS);
    await holderBecomes(lab, 'gw1');
    expect(lab.reachedFromClient()).toBe('gw1');
    second.leadership.start();

    // Act
    await first.leadership.stop();
    await second.electedTimes(1, WAIT_MS);
    await holderBecomes(lab, 'gw2');

    // Assert
    expect(lab.reachedFromClient()).toBe('gw2');
  });
});
