/** Shows each issue at its field, and those no field takes (a charger's minimum, the tree as a whole) in a list above. */
import type { FieldIssue } from '../../../../shared/errors';
import { el, replaceChildren } from '../../../ui/element';
import { firstInvalid, showFieldIssues, type ErrorTarget } from '../../../ui/field-issues';
import { issueText } from '../../../ui/i18n/server-text';

export interface PlacedIssues {
  readonly node: HTMLElement;
  /** Shows `issues` (none clears them) and, unless told not to, moves focus to the first field with one. */
  show(targets: readonly ErrorTarget[], issues: readonly FieldIssue[], focus?: boolean): void;
}

export function placedIssues(testId: string): PlacedIssues {
  const node = el('div', { class: 'summary-errors', 'data-testid': testId });
  return {
    node,
    show: (targets, issues, focus = true) => {
      const unplaced = showFieldIssues(targets, issues);
      replaceChildren(
        node,
        unplaced.length ? el('ul', {}, ...unplaced.map((i) => el('li', {}, `${i.path}: ${issueText(i)}`))) : null,
      );
      if (focus) firstInvalid(targets, issues)?.focus();
    },
  };
}
