/** Signing in, and the one-time setup of the admin password from the link the agent printed. */
import type { FieldIssue } from '../../../shared/errors';
import { el } from '../../ui/element';
import { firstInvalid, showFieldIssues } from '../../ui/field-issues';
import { passwordField, textField, type FormField } from '../../ui/form-fields';
import { t } from '../../ui/i18n/i18n';
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
      status.say(unplaced.length < issues.length ? t('dashboard.signIn.checkFields') : describeError(error), 'error');
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
  const username = textField({ path: 'username', label: t('dashboard.signIn.userName'), autocomplete: 'username' });
  const password = passwordField({
    path: 'password',
    label: t('dashboard.signIn.password'),
    autocomplete: 'current-password',
  });
  username.write('admin');
  const node = signInForm({
    label: t('dashboard.signIn.title'),
    intro: t('dashboard.signIn.intro'),
    fields: [username, password],
    submit: t('dashboard.signIn.title'),
    send: () =>
      api.send('POST', '/login', { username: username.read(), password: password.read() }, SessionAnswerSchema),
    onSignedIn,
  });
  return { title: t('dashboard.signIn.title'), node };
}

export function setupPage(api: DashboardClient, token: string, onSignedIn: (session: SessionAnswer) => void): Page {
  const password = passwordField({
    path: 'password',
    label: t('dashboard.signIn.newAdminPassword'),
    hint: t('dashboard.signIn.newAdminPasswordHint'),
    autocomplete: 'new-password',
  });
  const repeat = passwordField({ path: 'repeat', label: t('dashboard.signIn.repeat'), autocomplete: 'new-password' });
  const node = signInForm({
    label: t('dashboard.signIn.setLabel'),
    intro: t('dashboard.signIn.setIntro'),
    fields: [password, repeat],
    submit: t('dashboard.signIn.setSubmit'),
    send: async () => {
      if (password.read() !== repeat.read())
        throw new ApiError(400, 'message.invalid', t('dashboard.signIn.differ'), [
          { path: 'repeat', message: t('dashboard.signIn.noMatch') },
        ]);
      return api.send('POST', '/setup', { token, password: password.read() }, SessionAnswerSchema);
    },
    onSignedIn,
  });
  return { title: t('dashboard.signIn.setupTitle'), node };
}

/** Opened without the setup link while no password exists: say where the link is. */
export function setupNeededPage(): Page {
  const node = el(
    'div',
    { class: 'card sign-in', role: 'note' },
    el('p', {}, t('dashboard.signIn.noPassword')),
    el('p', {}, t('dashboard.signIn.openLink')),
  );
  return { title: t('dashboard.signIn.setupTitle'), node };
}
