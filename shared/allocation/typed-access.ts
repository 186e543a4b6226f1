/**
 * Reads and updates of typed-array elements at indices the caller keeps in range: a connector index below `n`, an
 * entry of a compressed row, a constraint of the round's layout. With `noUncheckedIndexedAccess` every indexed read
 * is `number | undefined`; the allocator's loops would otherwise claim "in range" with a `!` at every read, so the
 * claim is made here, once per array type. One function per type keeps each element access monomorphic, and V8
 * inlines functions this small into the loops that call them.
 */

/** Element i of a Float64Array, i in range. */
export function f64(a: Float64Array, i: number): number {
  return a[i] as number;
}

/** Element i of an Int32Array, i in range. */
export function i32(a: Int32Array, i: number): number {
  return a[i] as number;
}

/** Element i of a Uint8Array, i in range. */
export function u8(a: Uint8Array, i: number): number {
  return a[i] as number;
}

/** Adds `amount` to element i of a Float64Array, i in range. */
export function addAt(a: Float64Array, i: number, amount: number): void {
  a[i] = (a[i] as number) + amount;
}

/** `a[i]++` on an Int32Array, i in range: returns the element before the increment. */
export function postIncrement(a: Int32Array, i: number): number {
  const value = a[i] as number;
  a[i] = value + 1;
  return value;
}
