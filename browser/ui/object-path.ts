/** Reads and writes nested values by the paths the shared validation reports: `budget.min`, `schedules[1].from`. */

type Key = string | number;

/** Splits `a.b[2].c` into `['a', 'b', 2, 'c']`. */
export function parsePath(path: string): Key[] {
  const keys: Key[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    keys.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return keys;
}

export function getPath(value: unknown, path: string): unknown {
  let at = value;
  for (const key of parsePath(path)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<Key, unknown>)[key];
  }
  return at;
}

/** Sets `path` in `target`, creating objects and arrays on the way; `undefined` values are left out. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = parsePath(path);
  let at: Record<Key, unknown> = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      at[key] = value;
      return;
    }
    const next = keys[i + 1];
    at[key] ??= typeof next === 'number' ? [] : {};
    at = at[key] as Record<Key, unknown>;
  });
}

/** `schedules[1].budgetMax` → `schedules[1]` → `schedules`: where an error can be shown when the exact field has no slot. */
export function parentPaths(path: string): string[] {
  const out = [path];
  let current = path;
  for (;;) {
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    if (cut <= 0) return out;
    current = current.slice(0, cut);
    out.push(current);
  }
}
