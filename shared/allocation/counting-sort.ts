/** Stable counting sort of connector indices by a small non-negative integer key (allocation steps). */
import { i32, postIncrement } from './typed-access';

/** `members` ordered by `key[i]` ascending; ties keep their order in `members`. O(n + largest key). */
export function sortByKey(members: ArrayLike<number>, key: Int32Array): Int32Array {
  const n = members.length;
  let largest = 0;
  for (let k = 0; k < n; k++) largest = Math.max(largest, i32(key, members[k]!));
  const counts = new Int32Array(largest + 2);
  for (let k = 0; k < n; k++) postIncrement(counts, i32(key, members[k]!) + 1);
  for (let v = 1; v < counts.length; v++) counts[v] = i32(counts, v) + i32(counts, v - 1);
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = members[k]!;
    out[postIncrement(counts, i32(key, i))] = i;
  }
  return out;
}
