/** Signing in, and the one-time setup of the admin password from the link the agent printed. */
import type { FieldIssue } from '../../../shared/errors';
import { el } from '../../ui/element';
import { firstInvalid, showFieldIssues } from '../../ui/field-issues';
import { passwordField, textField, type FormField } from '../../ui/form-fields';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { SessionAnswerSchema, type SessionAnswer } from '../../../shared/dashboard/api-answers';
import type { DashboardClient } from '../dashboard-client';
import type { Page } from '../page-context';

/** Sends the form; a 400's field issues go next to their fields, anything else to the status line. */
function signInForm(options: {
  label: string;
  fields: FormField[];
  submit: string;
  intro: string;
  send: () => Promise<SessionAnswer>;
  onSignedIn: (session: SessionAnswer) => void;
}): HTMLElement {
  const status = liveRegion('sign-in-status');
  const run = async () => {
    showFieldIssues(options.fields, []);
    try {
      options.onSignedIn(await options.send());
    } catch (error) {
      const issues: readonly FieldIssue[] = error instanceof ApiError ? error.details : [];
      const unplaced = showFieldIssues(options.fields, issues);
      status.say(unplaced.length < issues.length ? 'Check the marked fields.' : describeError(error), 'error');
      (firstInvalid(options.fields, issues) ?? options.fields[0]?.control)?.focus();
    }
  };
  return el(
    'form',
    {
      class: 'card sign-in',
      'aria-label': options.label,
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void run()),
    },
    el('p', {}, options.intro),
    ...options.fields.map((f) => f.node),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, options.submit)),
    status.node,
  );
}

export function loginPage(api: DashboardClient, onSignedIn: (session: SessionAnswer) => void): Page {
  const username = textField({ path: 'username', label: 'User name', autocomplete: 'username' });
  const password = passwordField({ path: 'password', label: 'Password', autocomplete: 'current-password' });
  username.write('admin');
  const node = signInForm({
    label: 'Sign in',
    intro: 'Sign in to manage this site’s chargers and load management.',
    fields: [username, password],
    submit: 'Sign in',
    send: () =>
      api.send('POST', '/login', { username: username.read(), password: password.read() }, SessionAnswerSchema),
    onSignedIn,
  });
  return { title: 'Sign in', node };
}

export function setupPage(api: DashboardClient, token: string, onSignedIn: (session: SessionAnswer) => void): Page {
  const password = passwordField({
    path: 'password',
    label: 'New admin password',
    hint: 'At least 12 characters. There is no default password.',
    autocomplete: 'new-password',
  });
  const repeat = passwordField({ path: 'repeat', label: 'Repeat the password', autocomplete: 'new-password' });
  const node = signInForm({
    label: 'Set the admin password',
    intro: 'This one-time link sets the password of the dashboard’s admin account (user name “admin”).',
    fields: [password, repeat],
    submit: 'Set password and sign in',
    send: async () => {
      if (password.read() !== repeat.read())
        throw new ApiError(400, 'message.invalid', 'the passwords differ', [
          { path: 'repeat', message: 'does not match the password' },
        ]);
      return api.send('POST', '/setup', { token, password: password.read() }, SessionAnswerSchema);
    },
    onSignedIn,
  });
  return { title: 'Set up the dashboard', node };
}

/** Opened without the setup link while no password exists: say where the link is. */
export function setupNeededPage(): Page {
  const node = el(
    'div',
    { class: 'card sign-in', role: 'note' },
    el('p', {}, 'The dashboard has no admin password yet, and there is no default one.'),
    el(
      'p',
      {},
      'Open the one-time setup link the agent printed in its log when it started (it contains “#/setup/”). Restarting the agent prints a new link.',
    ),
  );
  return { title: 'Set up the dashboard', node };
}
