/** A binary min-heap of (key, item) pairs on typed arrays, for the water-filling event queue. */
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
    return this.size > 0 ? this.keys[0]! : Infinity;
  }

  /** Item of the smallest key; only valid when not empty. */
  peekItem(): number {
    return this.items[0]!;
  }

  /** Removes every entry. */
  clear(): void {
    this.size = 0;
  }

  /** Adds an entry. */
  push(key: number, item: number): void {
    if (this.size === this.keys.length) this.grow();
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[at] = this.keys[parent]!;
      this.items[at] = this.items[parent]!;
      at = parent;
    }
    this.keys[at] = key;
    this.items[at] = item;
  }

  /** Removes the smallest entry. */
  pop(): void {
    const last = --this.size;
    if (last <= 0) return;
    const key = this.keys[last]!;
    const item = this.items[last]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[at] = this.keys[child]!;
      this.items[at] = this.items[child]!;
      at = child;
    }
    this.keys[at] = key;
    this.items[at] = item;
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
