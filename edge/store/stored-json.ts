/** A JSON value read back from the store: parsed and checked, or told as a problem and ignored (never trusted). */

/** A stored value that could not be used, and why; the caller logs it and starts from the configuration. */
export interface StoredValueProblem {
  readonly key: string;
  readonly message: string;
}

/** `text` parsed and checked with `parse`; undefined, with the reason pushed to `problems`, when it is not valid. */
export function parseStoredJson<T>(
  key: string,
  text: string,
  parse: (json: unknown) => { success: true; data: T } | { success: false; error: Error },
  problems: { push(problem: StoredValueProblem): void },
): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push({ key, message: (error as Error).message });
    return undefined;
  }
  const result = parse(json);
  if (result.success) return result.data;
  problems.push({ key, message: result.error.message });
  return undefined;
}

/** `text` parsed, or undefined when it is not JSON (the caller checks the value with its schema). */
export function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
