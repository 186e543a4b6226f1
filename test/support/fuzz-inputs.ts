/** Generated bad input for the boundary fuzz tests: any value, and valid objects with one field dropped, replaced or added. */
import fc from 'fast-check';

/** Any JSON value, plus the values boundaries trip over: negatives, huge numbers, empty and long strings, empty containers. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(-1, 0, 1e308, -1e308, '', 'x'.repeat(5_000), [], {}, null, true),
);

/**
 * `valid` with one field dropped, replaced by any value, or an unknown one added: at the top level, or one level down
 * when the field picked there holds an object. `keep` leaves it valid now and then.
 */
export function mutated(valid: object): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.nat(), fc.nat(), anyValue, fc.constantFrom('keep', 'drop', 'replace', 'add', 'add'))
    .map(([a, b, value, how]) => {
      const copy = structuredClone(valid) as Record<string, unknown>;
      const top = Object.keys(copy);
      const inner = top.length > 0 ? copy[top[a % top.length]!] : undefined;
      const target =
        b % 2 === 0 && inner !== null && typeof inner === 'object' && !Array.isArray(inner)
          ? (inner as Record<string, unknown>)
          : copy;
      const keys = Object.keys(target);
      const key = keys.length === 0 || how === 'add' ? `unknown${b % 3}` : keys[b % keys.length]!;
      if (how === 'drop') delete target[key];
      else if (how !== 'keep') target[key] = value;
      return copy;
    });
}
