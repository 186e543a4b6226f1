/** Entry of the site dashboard's bundle: asks for the session, then shows setup, sign-in or the section of the hash route. */
// First: it configures zod before any schema is built (see the file).
import '../ui/zod-without-eval';
import { el } from '../ui/element';
import { t } from '../ui/i18n/i18n';
import { startPageLanguage } from '../ui/i18n/language-switch';
import { SessionAnswerSchema, type SessionAnswer } from '../../shared/dashboard/api-answers';
import { createDashboardClient } from './dashboard-client';
import { dashboardShell } from './dashboard-shell';
import { openLiveUpdates, type LiveUpdates } from './live-updates';
import type { Page, PageContext } from './page-context';
import { allocationsPage } from './pages/allocations-page';
import { clusterPage } from './pages/cluster-page';
import { devicesPage } from './pages/devices-page';
import { loadPage } from './pages/load-page';
import { monitoringPage } from './pages/monitoring-page';
import { networkPage } from './pages/network-page';
import { loginPage, setupNeededPage, setupPage } from './pages/sign-in-pages';
import { sitePage } from './pages/site-page';
import { upstreamPage } from './pages/upstream-page';
import { demandPage } from './pages/demand-page';
import { chargerConfigPage } from './pages/charger-config-page';
import { parseRoute, type Section } from './routes';

function sectionPage(section: Section, ctx: PageContext, signOut: () => void): Page {
  switch (section) {
    case 'cluster':
      return clusterPage(ctx, signOut);
    case 'network':
      return networkPage(ctx);
    case 'devices':
      return devicesPage(ctx);
    case 'load':
      return loadPage(ctx);
    case 'allocations':
      return allocationsPage(ctx);
    case 'monitoring':
      return monitoringPage(ctx);
    case 'upstream':
      return upstreamPage(ctx);
    case 'site':
      return sitePage(ctx);
    case 'demand':
      return demandPage(ctx);
    case 'chargerConfig':
      return chargerConfigPage(ctx);
  }
}

async function start(mount: HTMLElement): Promise<void> {
  let session: SessionAnswer = { state: 'signedOut', user: null, csrfToken: null, idleMinutes: 0 };
  let live: LiveUpdates | undefined;
  let page: Page | undefined;
  const api = createDashboardClient(() => signedOut());
  const shell = dashboardShell(
    () => location.host,
    () => void api.send('POST', '/logout', {}, SessionAnswerSchema).finally(signedOut),
  );
  mount.replaceChildren(shell.root);

  const adopt = (next: SessionAnswer) => {
    session = next;
    api.setCsrfToken(next.csrfToken);
    if (next.state === 'signedIn' && live === undefined) {
      live = openLiveUpdates();
      live.onState((open) => shell.setLive(open));
    }
    if (next.state !== 'signedIn') {
      live?.close();
      live = undefined;
    }
  };
  const signedIn = (next: SessionAnswer) => {
    adopt(next);
    if (location.hash.startsWith('#/setup') || location.hash === '') location.hash = '#/allocations';
    else render();
  };
  function signedOut(): void {
    adopt({ ...session, state: 'signedOut', user: null, csrfToken: null });
    render();
  }

  function render(): void {
    page?.dispose?.();
    const route = parseRoute(location.hash);
    if (route.name === 'setup' && session.state !== 'signedIn') page = setupPage(api, route.token, signedIn);
    else if (session.state === 'setup') page = setupNeededPage();
    else if (session.state !== 'signedIn' || live === undefined) page = loginPage(api, signedIn);
    else
      page = sectionPage(route.name === 'setup' ? 'allocations' : route.name, { api, live, now: Date.now }, signedOut);
    shell.show(page.title, page.node, session.state === 'signedIn');
  }
  window.addEventListener('hashchange', render);
  adopt(await api.get('/session', SessionAnswerSchema));
  render();
}

startPageLanguage();
const mount = document.getElementById('app');
if (mount) start(mount).catch(() => mount.replaceChildren(el('p', { role: 'alert' }, t('dashboard.cannotStart'))));
