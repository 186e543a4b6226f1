/** Validates the editor's values with the shared PolicySchema and shows every issue at its field. */
import type { FieldIssue } from '../../../shared/errors';
import { PolicySchema, type Policy } from '../../../shared/policy/policy-schema';
import { parseWith } from '../../../shared/validation';
import { el, replaceChildren } from '../element';
import { showFieldIssues } from '../field-issues';
import { issueText } from '../i18n/server-text';
import type { PolicyForm } from './policy-form';

/** A new site's starting point: the schema's own defaults around a small current budget. */
export const STARTER_POLICY: Policy = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 32 } });

export interface PolicyCheck {
  readonly node: HTMLElement;
  /** Validates the form now: the policy when valid, and the issues shown either way. */
  run(): { policy: Policy | null; issues: FieldIssue[] };
  /** Shows issues the server found (a 400's `details`). */
  show(issues: readonly FieldIssue[]): void;
}

export function policyCheck(form: PolicyForm): PolicyCheck {
  // Issues that belong to no field (rare: the whole policy) are listed above the form.
  const summary = el('div', { class: 'summary-errors', 'data-testid': 'policy-summary-errors' });
  const show = (issues: readonly FieldIssue[]) => {
    const unplaced = showFieldIssues(form.targets(), issues);
    replaceChildren(
      summary,
      unplaced.length ? el('ul', {}, ...unplaced.map((i) => el('li', {}, `${i.path}: ${issueText(i)}`))) : null,
    );
  };
  return {
    node: summary,
    run: () => {
      const parsed = parseWith(PolicySchema, form.read());
      const issues = parsed.ok ? [] : parsed.issues;
      show(issues);
      return { policy: parsed.ok ? parsed.value : null, issues };
    },
    show,
  };
}
