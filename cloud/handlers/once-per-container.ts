/**
 * A handler's dependencies, built at the first invocation and reused by every later one in the same Lambda container.
 * A failed build is forgotten, so a transient failure (a throttled lookup) is retried by the next invocation.
 */
export function oncePerContainer<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}
