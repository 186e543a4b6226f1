import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { parseEdgeConfig } from '../../../../edge/config/load-config';

const example = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../../../config/example-site.json'), 'utf8'),
) as Record<string, unknown>;
const withCluster = (cluster: unknown, more: Record<string, unknown> = {}) => ({ ...example, ...more, cluster });
const NODE = { nodeId: 'gw-a', etcdEndpoints: ['http://192.0.2.1:23790'], staticOrder: ['gw-a', 'gw-b'] };

function issuesOf(input: unknown): string[] {
  try {
    parseEdgeConfig(input, '/etc/ampshare');
  } catch (error) {
    if (AppError.match(error, 'config.invalid')) return error.details.map((d) => `${d.path}: ${d.message}`);
    throw error;
  }
  return [];
}

describe('edge configuration: the cluster section', () => {
  it('should leave the agent alone when the section is absent', () => {
    expect(parseEdgeConfig(example, '/etc/ampshare').cluster).toBeUndefined();
  });

  it('should fill in the defaults and resolve the flag file against the configuration folder', () => {
    // Act
    const config = parseEdgeConfig(withCluster({ ...NODE, leaderFlagFile: 'run/leader' }), '/etc/ampshare');

    // Assert
    expect(config.cluster).toEqual({
      ...NODE,
      witness: true,
      leaseTtlSeconds: 5,
      fenceMarginMs: 1_500,
      leaseRenewalMs: 1_000,
      etcdElectionMs: 2_500,
      etcdCallTimeoutMs: 2_000,
      election: 'dynamic',
      leaderFlagFile: '/etc/ampshare/run/leader',
    });
  });

  it('should refuse a node missing from the static order, a node listed twice, a margin too long and bad endpoints', () => {
    expect(issuesOf(withCluster({ ...NODE, staticOrder: ['gw-b', 'gw-b'] }))).toEqual([
      'cluster.staticOrder: must list this node "gw-a"',
      'cluster.staticOrder: lists a node twice',
    ]);
    expect(issuesOf(withCluster({ ...NODE, leaseTtlSeconds: 3, fenceMarginMs: 1_500 }))).toEqual([
      'cluster.leaseTtlSeconds: less fenceMarginMs less leaseRenewalMs leaves 500 ms, under etcdElectionMs (2500): ' +
        'a master whose renewal is lost while etcd elects a leader would stop serving (docs/cluster.md, "Self-fencing")',
    ]);
    expect(issuesOf(withCluster({ ...NODE, etcdEndpoints: ['192.0.2.1:23790'] }))[0]).toMatch(
      /^cluster\.etcdEndpoints\[0\]: expected http:\/\/host:port/,
    );
    expect(issuesOf(withCluster({ ...NODE, etcdEndpoints: Array(10).fill('http://192.0.2.1:1') })).length).toBe(1);
  });

  it('should take a renewal period apart from the TTL, and refuse one that leaves a master less than an etcd election', () => {
    // Arrange: what a master has between a lost renewal and its fence deadline is the TTL less the margin less a renewal
    const lease = (leaseTtlSeconds: number, leaseRenewalMs: number, more = {}) =>
      withCluster({ ...NODE, leaseTtlSeconds, fenceMarginMs: 1_500, leaseRenewalMs, ...more });

    // Act
    const fiveSeconds = parseEdgeConfig(lease(5, 1_000), '/etc/ampshare').cluster;

    // Assert: 5 s renewed every second and 6 s every 2 s both leave 2.5 s; 5 s every 2 s leaves 1.5 s
    expect(fiveSeconds).toMatchObject({ leaseTtlSeconds: 5, leaseRenewalMs: 1_000, etcdElectionMs: 2_500 });
    expect(issuesOf(lease(6, 2_000))).toEqual([]);
    expect(issuesOf(lease(5, 2_000))).toEqual([
      'cluster.leaseTtlSeconds: less fenceMarginMs less leaseRenewalMs leaves 1500 ms, under etcdElectionMs (2500): ' +
        'a master whose renewal is lost while etcd elects a leader would stop serving (docs/cluster.md, "Self-fencing")',
    ]);
    // An etcd tuned to elect faster (a shorter --election-timeout) takes a shorter lease
    expect(issuesOf(lease(3, 500, { fenceMarginMs: 500, etcdElectionMs: 2_000 }))).toEqual([]);
    expect(issuesOf(lease(5, 50))[0]).toMatch(/^cluster\.leaseRenewalMs: /);
  });

  it('should take two gateways without a witness and no etcd, and refuse etcd without a witness or etcd missing', () => {
    const { etcdEndpoints: _, ...withoutEtcd } = NODE;
    expect(issuesOf(withCluster({ ...withoutEtcd, witness: false }))).toEqual([]);
    expect(issuesOf(withCluster({ ...NODE, witness: false }))).toEqual([
      'cluster.etcdEndpoints: a site without a witness runs no etcd (two members have no quorum once either is lost)',
    ]);
    expect(issuesOf(withCluster({ ...withoutEtcd, witness: false, staticOrder: ['gw-a', 'gw-b', 'gw-c'] }))).toEqual([
      'cluster.staticOrder: must list the two gateways without a witness',
    ]);
    expect(issuesOf(withCluster(withoutEtcd))).toEqual(['cluster.etcdEndpoints: required with a witness']);
  });

  it('should take the link to the other gateway without a witness, its secret file resolved, and refuse it with one', () => {
    // Arrange
    const { etcdEndpoints: _, ...withoutEtcd } = NODE;
    const peer = { url: 'http://192.0.2.2:7311', secretFile: 'peer-secret' };

    // Act
    const config = parseEdgeConfig(withCluster({ ...withoutEtcd, witness: false, peer }), '/etc/ampshare');

    // Assert
    expect(config.cluster?.peer).toEqual({
      url: 'http://192.0.2.2:7311',
      listenHost: '0.0.0.0',
      listenPort: 7311,
      secretFile: '/etc/ampshare/peer-secret',
      syncIntervalSeconds: 10,
    });
    expect(issuesOf(withCluster({ ...NODE, peer }))).toEqual([
      'cluster.peer: only without a witness (with one, the ledger in etcd is shared)',
    ]);
    expect(
      issuesOf(withCluster({ ...withoutEtcd, witness: false, peer: { ...peer, url: 'http://x/path' } }))[0],
    ).toMatch(/^cluster\.peer\.url: expected http:\/\/host:port/);
  });

  it('should refuse two gateways whose lease could outlast the hold of the other gateway, and only without a witness', () => {
    // Arrange: a lease may leave up to a command timeout after the other node's last majority, plus its time on the LAN
    const { etcdEndpoints: _, ...withoutEtcd } = NODE;
    const timing = (leaseSeconds: number, commandTimeoutMs: number) => ({
      control: { leaseSeconds, tickMs: 1_000 },
      ocpp: { ...(example.ocpp as object), commandTimeoutMs },
    });

    // Act / Assert
    expect(issuesOf(withCluster({ ...withoutEtcd, witness: false }, timing(10, 9_000)))).toEqual([]);
    expect(issuesOf(withCluster({ ...withoutEtcd, witness: false }, timing(10, 9_001)))).toEqual([
      'control.leaseSeconds: must be at least ocpp.commandTimeoutMs plus 1 s for the LAN (10.001 s) without a witness, ' +
        'so the leases the other gateway sent have run out when this one exceeds the fail-safe',
    ]);
    expect(issuesOf(withCluster(NODE, timing(10, 9_001)))).toEqual([]);
  });

  it('should accept a cluster in front of an operator CSMS (its limits and forward log go through the ledger)', () => {
    expect(issuesOf(withCluster(NODE, { upstream: { csmsUrl: 'wss://csms.example.com/ocpp' } }))).toEqual([]);
  });

  it('should refuse an operator CSMS on two gateways without a witness (no ledger, no single master)', () => {
    const { etcdEndpoints: _, ...withoutEtcd } = NODE;
    const upstream = { upstream: { csmsUrl: 'wss://csms.example.com/ocpp' } };
    expect(issuesOf(withCluster({ ...withoutEtcd, witness: false }, upstream))).toEqual([
      'upstream: needs a cluster with a witness (etcd): two gateways without one cannot share the links to the CSMS',
    ]);
  });
});
