/** The fuse tree being edited: circuits in tree order with their depth, and the changes the editor makes to a draft. */
import type { SiteInput } from '../../../../shared/site/site-schema';

export type CircuitDraft = SiteInput['circuits'][number];
export type ChargerDraft = SiteInput['chargers'][number];

export interface TreeDraft {
  circuits: CircuitDraft[];
  chargers: ChargerDraft[];
}

/** Each circuit's index in the draft with its depth, parents before children; circuits outside the tree (a missing
 * parent, a cycle) come last at depth 0, so that every one stays editable. */
export function treeOrder(circuits: readonly CircuitDraft[]): { index: number; depth: number }[] {
  const order: { index: number; depth: number }[] = [];
  const placed = new Set<number>();
  const visit = (parent: string | null, depth: number) => {
    circuits.forEach((c, index) => {
      if (c.parent !== parent || placed.has(index)) return;
      placed.add(index);
      order.push({ index, depth });
      visit(c.id, depth + 1);
    });
  };
  visit(null, 0);
  circuits.forEach((_, index) => placed.has(index) || order.push({ index, depth: 0 }));
  return order;
}

/** A circuit id not yet in use: `circuit-2`, `circuit-3`, … */
export function freeCircuitId(circuits: readonly CircuitDraft[]): string {
  const ids = new Set(circuits.map((c) => c.id));
  let n = circuits.length + 1;
  while (ids.has(`circuit-${n}`)) n += 1;
  return `circuit-${n}`;
}
