/** Sign in: paste a bearer token, or (local stack only) get one for a tenant from the dev login endpoint. */
import { z } from 'zod';
import { ApiError, describeError } from '../../ui/json-api';
import { SiteListSchema } from '../api-schemas';
import type { Page, PageContext } from '../page-context';
import { el } from '../../ui/element';
import { textField } from '../../ui/form-fields';
import { liveRegion } from '../../ui/live-region';
import { t } from '../../ui/i18n/i18n';

const DevLoginAnswerSchema = z.object({ token: z.string() });

export function loginPage(ctx: PageContext): Page {
  const status = liveRegion('login-status');

  /** Keeps the token only once the API accepted it. */
  const tryToken = async (token: string) => {
    ctx.session.signIn(token);
    try {
      await ctx.api.get('/sites?limit=1', SiteListSchema);
      ctx.navigate('#/sites');
    } catch (error) {
      ctx.session.signOut();
      status.say(
        error instanceof ApiError && error.status === 403
          ? t('console.login.unknownTenant')
          : t('console.login.failed', { error: describeError(error) }),
        'error',
      );
    }
  };

  const token = el('textarea', {
    id: 'token',
    name: 'token',
    rows: 4,
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const tokenForm = el(
    'form',
    {
      class: 'card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void tryToken(token.value.trim());
      },
    },
    el('h2', {}, t('console.login.bearer')),
    el('div', { class: 'field' }, el('label', { for: 'token' }, t('console.login.accessToken')), token),
    el('button', { type: 'submit', class: 'primary' }, t('console.login.withToken')),
  );

  const tenant = textField({
    path: 'tenant',
    label: t('console.login.tenant'),
    hint: t('console.login.tenantHint'),
    placeholder: 'demo',
  });
  const devForm = ctx.config.devLogin
    ? el(
        'form',
        {
          class: 'card',
          'data-testid': 'dev-login',
          onsubmit: (event: Event) => {
            event.preventDefault();
            void (async () => {
              const response = await fetch('dev-login', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ tenantId: tenant.read() }),
              });
              const answer = DevLoginAnswerSchema.safeParse(await response.json().catch(() => null));
              if (!response.ok || !answer.success) return status.say(t('console.login.refusedTenant'), 'error');
              await tryToken(answer.data.token);
            })();
          },
        },
        el('h2', {}, t('console.login.localStack')),
        tenant.node,
        el('button', { type: 'submit', class: 'primary' }, t('console.login.asTenant')),
      )
    : null;

  const hosted = ctx.config.signInUrl
    ? el('p', {}, el('a', { href: ctx.config.signInUrl }, t('console.login.organisation')))
    : null;
  const node = el(
    'div',
    { class: 'login' },
    el('p', {}, t('console.login.intro')),
    hosted,
    devForm,
    tokenForm,
    status.node,
  );
  return { title: t('console.login.title'), node };
}
