/** Entry of the fleet console bundle: reads config.json, then renders the page of the current hash route. */
// First: it configures zod before any schema is built (see the file).
import '../ui/zod-without-eval';
import { ConsoleConfigSchema } from '../../shared/console/console-config';
import { createApiClient } from './api-client';
import { consoleShell } from './console-shell';
import type { Page, PageContext } from './page-context';
import { policyPage } from './policy/policy-page';
import { rolloutPage } from './policy/rollout-page';
import { loginPage } from './pages/login-page';
import { sitePage } from './pages/site-page';
import { sitesPage } from './pages/sites-page';
import { parseRoute, type Route } from './routes';
import { createSessionStore } from './session-store';
import { el } from '../ui/element';
import { t } from '../ui/i18n/i18n';
import { startPageLanguage } from '../ui/i18n/language-switch';

function pageFor(route: Route, ctx: PageContext): Page {
  switch (route.name) {
    case 'login':
      return loginPage(ctx);
    case 'sites':
      return sitesPage(ctx);
    case 'site':
      return sitePage(ctx, route.siteId);
    case 'policy':
      return policyPage(ctx, route.siteId);
    case 'rollout':
      return rolloutPage(ctx);
  }
}

async function start(mount: HTMLElement): Promise<void> {
  const config = ConsoleConfigSchema.parse(await (await fetch('config.json')).json());
  const session = createSessionStore(sessionStorage, Date.now);
  const navigate = (hash: string) => {
    if (location.hash === hash) render();
    else location.hash = hash;
  };
  const signOut = () => {
    session.signOut();
    navigate('#/login');
  };
  const api = createApiClient({ baseUrl: config.apiBaseUrl, token: () => session.token(), onUnauthenticated: signOut });
  const ctx: PageContext = { api, config, session, navigate, now: Date.now };
  const shell = consoleShell(session, signOut);
  mount.replaceChildren(shell.root);

  function render(): void {
    const signedIn = session.token() !== null;
    const route = signedIn ? parseRoute(location.hash) : { name: 'login' as const };
    const page = pageFor(route, ctx);
    shell.show(page.title, page.node, signedIn);
  }
  window.addEventListener('hashchange', render);
  render();
}

startPageLanguage();
const mount = document.getElementById('app');
if (mount) {
  start(mount).catch(() => mount.replaceChildren(el('p', { role: 'alert' }, t('console.cannotStart'))));
}
