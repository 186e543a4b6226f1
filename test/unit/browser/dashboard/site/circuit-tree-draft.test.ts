/** The tree editor's order of circuits and the fuse field's reading of what the installer typed. */
import { describe, expect, it } from 'vitest';
import {
  freeCircuitId,
  treeOrder,
  type CircuitDraft,
} from '../../../../../browser/dashboard/pages/site/circuit-tree-draft';
import { readFuse, writeFuse } from '../../../../../browser/dashboard/pages/site/fuse-field';

const circuit = (id: string, parent: string | null): CircuitDraft => ({ id, parent, fuseAmps: 16 });

describe('treeOrder', () => {
  it('should put each circuit after its parent, one level deeper', () => {
    const circuits = [circuit('b1', 'b'), circuit('a', 'main'), circuit('main', null), circuit('b', 'main')];

    const order = treeOrder(circuits).map(({ index, depth }) => [circuits[index]?.id, depth]);

    expect(order).toEqual([
      ['main', 0],
      ['a', 1],
      ['b', 1],
      ['b1', 2],
    ]);
  });

  it('should keep circuits outside the tree (a missing parent, a cycle) editable, last, at depth 0', () => {
    const circuits = [circuit('main', null), circuit('lost', 'nowhere'), circuit('x', 'y'), circuit('y', 'x')];

    const order = treeOrder(circuits).map(({ index, depth }) => [circuits[index]?.id, depth]);

    expect(order).toEqual([
      ['main', 0],
      ['lost', 0],
      ['x', 0],
      ['y', 0],
    ]);
  });
});

describe('freeCircuitId', () => {
  it('should pick an id no circuit has', () => {
    expect(freeCircuitId([circuit('main', null), circuit('circuit-2', 'main')])).toBe('circuit-3');
  });
});

describe('the fuse field', () => {
  it.each([
    ['63', 63],
    ['63 / 63 / 40', [63, 63, 40]],
    ['32,5', 32.5],
    ['', ''],
    ['sixty', 'sixty'],
  ])('should read "%s" as %j', (typed, value) => {
    expect(readFuse(typed)).toEqual(value);
  });

  it('should write one rating or three as the installer types them', () => {
    expect([writeFuse(63), writeFuse([63, 63, 40]), writeFuse(undefined)]).toEqual(['63', '63 / 63 / 40', '']);
  });
});
