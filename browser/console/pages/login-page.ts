/** Sign in: paste a bearer token, or (local stack only) get one for a tenant from the dev login endpoint. */
import { z } from 'zod';
import { ApiError, describeError } from '../../ui/json-api';
import { SiteListSchema } from '../api-schemas';
import type { Page, PageContext } from '../page-context';
import { el } from '../../ui/element';
import { textField } from '../../ui/form-fields';
import { liveRegion } from '../../ui/live-region';

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
          ? 'This token is valid but its tenant is unknown or disabled.'
          : `Sign-in failed: ${describeError(error)}`,
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
    el('h2', {}, 'Bearer token'),
    el('div', { class: 'field' }, el('label', { for: 'token' }, 'Access token (JWT)'), token),
    el('button', { type: 'submit', class: 'primary' }, 'Sign in with token'),
  );

  const tenant = textField({
    path: 'tenant',
    label: 'Tenant id',
    hint: 'The local stack signs a token for this tenant.',
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
              if (!response.ok || !answer.success)
                return status.say('The local token issuer refused that tenant id.', 'error');
              await tryToken(answer.data.token);
            })();
          },
        },
        el('h2', {}, 'Local stack'),
        tenant.node,
        el('button', { type: 'submit', class: 'primary' }, 'Sign in as tenant'),
      )
    : null;

  const hosted = ctx.config.signInUrl
    ? el('p', {}, el('a', { href: ctx.config.signInUrl }, 'Sign in with your organisation account'))
    : null;
  const node = el(
    'div',
    { class: 'login' },
    el('p', {}, 'Sign in to manage your charging sites.'),
    hosted,
    devForm,
    tokenForm,
    status.node,
  );
  return { title: 'Sign in', node };
}
