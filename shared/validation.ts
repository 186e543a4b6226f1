/** Turns zod results into the product's field issues and errors. */
import type { z } from 'zod';
import { AppError, type AppErrorCode, type FieldIssue } from './errors';
import { issueReason } from './issue-reasons';

/** Renders a zod issue path as `a.b[2].c`, or `(root)` for the whole value. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Every issue of a zod error as a path, zod's message and, where zod's code says it, a reason to translate. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const ref = issueReason(issue);
    return { path: formatPath(issue.path), message: issue.message, ...ref };
  });
}

/** Result of parsing untrusted input: the value, or every bad field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Parses `input` with `schema`, returning every bad field instead of throwing. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: fieldIssues(result.error) };
}

/** Parses `input` with `schema` or throws an AppError listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: AppErrorCode,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new AppError(code, `invalid ${what}: ${summary}`, issues, { cause: result.error });
}
