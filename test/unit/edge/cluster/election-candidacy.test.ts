import { describe, expect, it } from 'vitest';
import { ElectionCandidacy } from '../../../../edge/cluster/election-candidacy';
import type { ElectionSetting } from '../../../../edge/cluster/election-setting';

/** The setting in etcd as a node reads it, changed between reads as the dashboard would; the presence keys alive. */
function site(setting: ElectionSetting, healthy: string[]) {
  const state = { setting, healthy: new Set(healthy), presenceReads: 0 };
  const settingPort = { read: () => Promise.resolve(state.setting) };
  const presence = {
    healthy: () => {
      state.presenceReads += 1;
      return Promise.resolve(state.healthy);
    },
  };
  return { state, candidacy: (nodeId: string) => new ElectionCandidacy(settingPort, presence, nodeId) };
}

const ORDER = ['gw-a', 'gw-b', 'gw-c'];

describe('ElectionCandidacy', () => {
  it.each([
    { type: 'dynamic', node: 'gw-c', healthy: ['gw-a', 'gw-b', 'gw-c'], allowed: true },
    { type: 'static', node: 'gw-a', healthy: ['gw-a', 'gw-b', 'gw-c'], allowed: true },
    { type: 'static', node: 'gw-b', healthy: ['gw-a', 'gw-b'], allowed: false },
    { type: 'static', node: 'gw-b', healthy: ['gw-b', 'gw-c'], allowed: true },
    { type: 'static', node: 'gw-c', healthy: ['gw-b', 'gw-c'], allowed: false },
    { type: 'static', node: 'gw-c', healthy: ['gw-c'], allowed: true },
  ] as const)('should let $node campaign=$allowed in a $type election with $healthy healthy', async (row) => {
    // Arrange
    const { candidacy } = site({ electionType: row.type, staticOrder: ORDER }, [...row.healthy]);

    // Act
    const allowed = await candidacy(row.node).allowed();

    // Assert
    expect(allowed).toBe(row.allowed);
  });

  it('should follow the setting read at each decision, switching static to dynamic and back without a restart', async () => {
    // Arrange: gw-b after a healthy gw-a
    const { state, candidacy } = site({ electionType: 'static', staticOrder: ORDER }, ['gw-a', 'gw-b']);
    const gwB = candidacy('gw-b');
    const answers: boolean[] = [];

    // Act
    answers.push(await gwB.allowed());
    state.setting = { electionType: 'dynamic', staticOrder: ORDER };
    answers.push(await gwB.allowed());
    state.setting = { electionType: 'static', staticOrder: ['gw-b', 'gw-a', 'gw-c'] };
    answers.push(await gwB.allowed());
    state.setting = { electionType: 'static', staticOrder: ORDER };
    answers.push(await gwB.allowed());

    // Assert
    expect(answers).toEqual([false, true, true, false]);
  });

  it('should not read the presence keys in a dynamic election', async () => {
    // Arrange
    const { state, candidacy } = site({ electionType: 'dynamic', staticOrder: ORDER }, ['gw-a']);

    // Act
    await candidacy('gw-c').allowed();

    // Assert
    expect(state.presenceReads).toBe(0);
  });

  it('should refuse to decide when the setting cannot be read (etcd without quorum)', async () => {
    // Arrange
    const candidacy = new ElectionCandidacy(
      { read: () => Promise.reject(new Error('deadline exceeded')) },
      { healthy: () => Promise.resolve(new Set<string>()) },
      'gw-a',
    );

    // Act
    const decided = candidacy.allowed();

    // Assert
    await expect(decided).rejects.toThrow('deadline exceeded');
  });
});
