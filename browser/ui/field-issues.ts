/** Puts validation issues (from the shared schema in the browser, or a 400 answer's `details`) next to their fields. */
import type { FieldIssue } from '../../shared/errors';
import { issueText } from './i18n/server-text';
import { parentPaths } from './object-path';

/** Where an error for a path can be shown: a field, or a row or group that has its own slot. */
export interface ErrorTarget {
  readonly path: string;
  setError(message: string | null): void;
  readonly control?: HTMLElement;
}

/**
 * Clears every target, then shows each issue at its field or the nearest enclosing target (`vip.idTags[3]` at
 * `vip.idTags`). Returns the issues no target could take, for a summary above the form.
 */
export function showFieldIssues(targets: readonly ErrorTarget[], issues: readonly FieldIssue[]): FieldIssue[] {
  const byPath = new Map(targets.map((t) => [t.path, t]));
  const messages = new Map<ErrorTarget, string[]>();
  const unplaced: FieldIssue[] = [];
  for (const issue of issues) {
    const target = parentPaths(issue.path)
      .map((p) => byPath.get(p))
      .find((t) => t !== undefined);
    if (target) messages.set(target, [...(messages.get(target) ?? []), issueText(issue)]);
    else unplaced.push(issue);
  }
  for (const target of targets) target.setError(messages.get(target)?.join('; ') ?? null);
  return unplaced;
}

/** The first target (in form order) that shows an error, to move focus there after a refused save. */
export function firstInvalid(targets: readonly ErrorTarget[], issues: readonly FieldIssue[]): HTMLElement | undefined {
  const paths = new Set(issues.flatMap((i) => parentPaths(i.path)));
  return targets.find((t) => paths.has(t.path) && t.control)?.control;
}
