/**
 * Whole agents of one site on a real three-member etcd, in front of the ts-ocpp CSMS of the upstream tests (each node
 * with the same `upstream` section): the set-up the cluster's upstream tests share. `upstreamCluster()` registers its
 * own hooks: etcd started once per file; after each test the chargers, the agents and the CSMS in `csms` closed.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../../sim/charger/virtual-charger';
import { eventually } from '../../../support/eventually';
import { passwordOf } from '../../edge/support/edge-fixture';
import { rawChargePoint } from '../../ocpp/support/raw-charge-point';
import { offlineUpstream } from '../../upstream/support/offline-settings';
import type { TsOcppCsms } from '../../upstream/support/ts-ocpp-csms';
import { ClusterAgent } from './cluster-agent';
import { EtcdCluster } from './etcd-cluster';
import { revokeLeaderLease } from './leader-key';
import { TAKEOVER_MS } from './takeover-site';

export interface UpstreamCluster {
  /** The CSMS closed after the test (a test that restarts it puts the new one here). */
  csms: TsOcppCsms | undefined;
  readonly endpoints: readonly string[];
  /** A node of `siteId` in front of `upstreamOf`, static order gw-a then gw-b, one charger; on `dataDir` if given. */
  node(nodeId: string, siteId: string, upstreamOf: TsOcppCsms, dataDir?: string): Promise<ClusterAgent>;
  /** gw-a serving as master, then gw-b as its standby. */
  masterAndStandby(siteId: string, upstreamOf: TsOcppCsms): Promise<{ a: ClusterAgent; b: ClusterAgent }>;
  /** The simulator's charger `id` with its site password and a quick car, to dial `url` (closed after the test). */
  charger(id: string, url: string): VirtualCharger;
  /** `identity` connected to `agent` as a raw charger (closed after the test). */
  connect(agent: ClusterAgent, identity: string): Promise<RPCClient>;
  /** The master loses its lease at etcd; resolves once `to` serves and `from` does not. */
  takeover(siteId: string, from: ClusterAgent, to: ClusterAgent): Promise<void>;
  /** A node the test stopped itself: not stopped again after it. */
  forget(agent: ClusterAgent): void;
}

export function upstreamCluster(): UpstreamCluster {
  let etcd: EtcdCluster | undefined;
  const agents: ClusterAgent[] = [];
  const chargers: RPCClient[] = [];
  const simulated: VirtualCharger[] = [];
  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(chargers.splice(0).map((cp) => cp.close({ force: true })));
    await Promise.all(simulated.splice(0).map((cp) => cp.close()));
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
    await lab.csms?.close();
    lab.csms = undefined;
  });
  afterAll(async () => {
    await etcd?.stop();
  });
  const lab: UpstreamCluster = {
    csms: undefined,
    get endpoints() {
      if (etcd === undefined) throw new Error('etcd not started');
      return etcd.endpoints;
    },
    async node(nodeId, siteId, upstreamOf, dataDir) {
      const agent = await ClusterAgent.start({
        nodeId,
        siteId,
        endpoints: lab.endpoints,
        staticOrder: ['gw-a', 'gw-b'],
        chargers: 1,
        upstream: offlineUpstream(upstreamOf),
        ...(dataDir !== undefined && { dataDir }),
      });
      agents.push(agent);
      return agent;
    },
    async masterAndStandby(siteId, upstreamOf) {
      const a = await lab.node('gw-a', siteId, upstreamOf);
      await eventually('gw-a serves as master', () => a.serving, TAKEOVER_MS);
      const b = await lab.node('gw-b', siteId, upstreamOf);
      return { a, b };
    },
    charger(id, url) {
      const cp = new VirtualCharger(
        { ...DEFAULT_CHARGER, rampDelayMs: 50, id, password: passwordOf(id) },
        url,
        realClock,
      );
      simulated.push(cp);
      return cp;
    },
    async connect(agent, identity) {
      const cp = rawChargePoint({ endpoint: agent.agent.ocppUrl, identity, password: passwordOf(identity) });
      chargers.push(cp);
      await cp.connect();
      return cp;
    },
    async takeover(siteId, from, to) {
      await revokeLeaderLease(lab.endpoints, siteId);
      await eventually('the new master serves, the old one does not', () => to.serving && !from.serving, TAKEOVER_MS);
    },
    forget(agent) {
      agents.splice(agents.indexOf(agent), 1);
    },
  };
  return lab;
}
