/** A binary min-heap of (key, item) pairs on typed arrays, for the water-filling event queue. */
import { f64, i32 } from './typed-access';

export class MinHeap {
  private keys = new Float64Array(64);
  private items = new Int32Array(64);
  private size = 0;

  /** Number of entries. */
  get length(): number {
    return this.size;
  }

  /** Smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.size > 0 ? f64(this.keys, 0) : Infinity;
  }

  /** Item of the smallest key; only valid when not empty. */
  peekItem(): number {
    return i32(this.items, 0);
  }

  /** Removes every entry. */
  clear(): void {
    this.size = 0;
  }

  /** Adds an entry. */
  push(key: number, item: number): void {
    if (this.size === this.keys.length) this.grow();
    const { keys, items } = this;
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentKey = f64(keys, parent);
      if (parentKey <= key) break;
      keys[at] = parentKey;
      items[at] = i32(items, parent);
      at = parent;
    }
    keys[at] = key;
    items[at] = item;
  }

  /** Removes the smallest entry. */
  pop(): void {
    const last = --this.size;
    if (last <= 0) return;
    const { keys, items } = this;
    const key = f64(keys, last);
    const item = i32(items, last);
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && f64(keys, child + 1) < f64(keys, child)) child++;
      const childKey = f64(keys, child);
      if (childKey >= key) break;
      keys[at] = childKey;
      items[at] = i32(items, child);
      at = child;
    }
    keys[at] = key;
    items[at] = item;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const items = new Int32Array(this.items.length * 2);
    items.set(this.items);
    this.keys = keys;
    this.items = items;
  }
}
