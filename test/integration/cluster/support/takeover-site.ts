/**
 * The set-up the takeover tests share: a real three-member etcd for the whole file, and per test two agents of one
 * site (gw-a first in the static order, then gw-b) with the simulator's chargers, all stopped after each test. Call it
 * inside a `describe`: it registers the hooks there.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../../sim/charger/virtual-charger';
import { eventually } from '../../../support/eventually';
import { passwordOf } from '../../edge/support/edge-fixture';
import { ClusterAgent, type ClusterAgentSettings } from './cluster-agent';
import { EtcdCluster } from './etcd-cluster';

/** A takeover waits for a resignation or for the lease to run out, with room for a loaded machine. */
export const TAKEOVER_MS = 15_000;

export interface TakeoverSite {
  /** The etcd the agents share (started before the first test). */
  etcd(): EtcdCluster;
  /** Starts node `nodeId` of site `siteId`. */
  node(nodeId: string, siteId: string): Promise<ClusterAgent>;
  /** A new site: gw-a serving as master, gw-b its standby. */
  masterAndStandby(): Promise<{ siteId: string; a: ClusterAgent; b: ClusterAgent }>;
  /** The simulator's charger `id` (with its site password unless given another, a quick car), to dial `url`. */
  charger(id: string, url: string, password?: string): VirtualCharger;
}

/** The hooks and helpers, the agents with `settings` (one charger in their site by default). */
export function takeoverSite(settings: Partial<Pick<ClusterAgentSettings, 'chargers' | 'control'>> = {}): TakeoverSite {
  let etcd: EtcdCluster | undefined;
  const agents: ClusterAgent[] = [];
  const chargers: VirtualCharger[] = [];
  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  });
  afterEach(async () => {
    await Promise.all(chargers.splice(0).map((charger) => charger.close()));
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });
  afterAll(async () => {
    await etcd?.stop();
  });
  const started = (): EtcdCluster => {
    if (etcd === undefined) throw new Error('etcd has not started');
    return etcd;
  };
  const node = async (nodeId: string, siteId: string): Promise<ClusterAgent> => {
    const agent = await ClusterAgent.start({
      nodeId,
      siteId,
      endpoints: started().endpoints,
      staticOrder: ['gw-a', 'gw-b'],
      chargers: 1,
      ...settings,
    });
    agents.push(agent);
    return agent;
  };
  return {
    etcd: started,
    node,
    async masterAndStandby() {
      const siteId = `site-${randomUUID().slice(0, 8)}`;
      const a = await node('gw-a', siteId);
      await eventually('gw-a serves as master', () => a.serving, TAKEOVER_MS);
      const b = await node('gw-b', siteId);
      return { siteId, a, b };
    },
    charger(id, url, password = passwordOf(id)) {
      const cp = new VirtualCharger({ ...DEFAULT_CHARGER, rampDelayMs: 50, id, password }, url, realClock);
      chargers.push(cp);
      return cp;
    },
  };
}
