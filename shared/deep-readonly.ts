/** Readonly all the way down: what the allocator's inputs are, so that a changed input is always a new object. */
// Functions are kept as they are; arrays and tuples map to readonly arrays and tuples (mapped types keep their shape).
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
