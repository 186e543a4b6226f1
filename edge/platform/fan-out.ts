/** One listener made of several: the central system's charger events and the control loop's events each go to many parts. */

/** A listener whose `method` takes one event. */
export type Listener<K extends string, E> = { readonly [P in K]: (event: E) => void };

/**
 * A listener that calls `method` of each of `listeners` in order; an absent one (no cloud link, no dashboard) is
 * skipped.
 */
export function fanOut<K extends string, E>(
  method: K,
  listeners: readonly (Listener<K, E> | undefined)[],
): Listener<K, E> {
  const present = listeners.filter((listener) => listener !== undefined);
  const call = (event: E) => {
    for (const listener of present) listener[method](event);
  };
  return { [method]: call } as Listener<K, E>;
}
