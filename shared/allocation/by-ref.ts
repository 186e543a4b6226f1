/** Runtime items (connector states, a previous allocation's entries) matched to a topology's connectors by ref. */
import type { SiteTopology } from './site-topology';

/**
 * Items keyed by connector ref, looked up in topology order. A list in that order (the usual case) is read by
 * position, checking each ref as it goes; from the first item out of place on, items are found by ref.
 */
export class ByRef<T extends { readonly ref: string }> {
  private aligned: (T | undefined)[] | undefined;

  constructor(
    private readonly topology: SiteTopology,
    private readonly items: readonly T[],
  ) {
    if (items.length !== topology.connectors.length) this.aligned = this.align();
  }

  /** The item of connector i, if any. */
  at(i: number): T | undefined {
    if (!this.aligned) {
      const item = this.items[i];
      if (item?.ref === this.topology.connectors[i]!.ref) return item;
      this.aligned = this.align();
    }
    return this.aligned[i];
  }

  private align(): (T | undefined)[] {
    const out = new Array<T | undefined>(this.topology.connectors.length);
    for (const item of this.items) {
      const i = this.topology.connectorIndex.get(item.ref);
      if (i !== undefined) out[i] = item;
    }
    return out;
  }
}
