import { describe, expect, it } from 'vitest';
import { siteClusterView, type ClusterNodeReport } from '../../../../shared/console/site-cluster-answer';

const master = (nodeId: string, term: string, at: number): ClusterNodeReport => ({ nodeId, term, role: 'master', at });
const fenced = (nodeId: string, term: string, at: number, reason: string): ClusterNodeReport => ({
  nodeId,
  term,
  role: 'fenced',
  at,
  reason,
});

describe('siteClusterView', () => {
  it('should know no cluster without reports', () => {
    expect(siteClusterView('s', [])).toEqual({ siteId: 's', nodes: [], term: null, master: null, lastTakeover: null });
  });

  it('should take the highest term as the master, not the latest report, and say a killed master sent no fence', () => {
    // gw-a's clock runs ahead: its older term reported "later"; terms decide (9 < 10 as numbers, not as text)
    const view = siteClusterView('s', [master('gw-a', '9', 5_000), master('gw-b', '10', 2_000)]);
    expect(view.master).toEqual({ nodeId: 'gw-b', term: '10', since: 2_000 });
    expect(view.nodes.map((n) => [n.nodeId, n.role])).toEqual([
      ['gw-a', 'standby'],
      ['gw-b', 'master'],
    ]);
    expect(view.lastTakeover).toEqual({
      at: 2_000,
      nodeId: 'gw-b',
      term: '10',
      previous: { nodeId: 'gw-a', fenced: false, reason: null },
    });
  });

  it('should name no master when the latest term ended in a fence, and keep the last takeover', () => {
    const view = siteClusterView('s', [fenced('gw-b', '12', 3_000, 'lease lost'), master('gw-a', '7', 1_000)]);
    expect(view.term).toBe('12');
    expect(view.master).toBeNull();
    expect(view.lastTakeover).toEqual({ at: 1_000, nodeId: 'gw-a', term: '7', previous: null });
    expect(view.nodes.find((n) => n.nodeId === 'gw-b')).toMatchObject({ role: 'fenced', reason: 'lease lost' });
  });
});
