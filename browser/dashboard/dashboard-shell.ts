/** The frame around every page: skip link, header with the sections, the live indicator and sign-out, and the main region. */
import { el, replaceChildren } from '../ui/element';
import { t } from '../ui/i18n/i18n';
import { languageSwitch } from '../ui/i18n/language-switch';
import { SECTIONS } from './routes';

export interface Shell {
  readonly root: HTMLElement;
  /** Shows a page under its heading and moves focus to the heading, so keyboard and screen-reader users land on it. */
  show(title: string, content: HTMLElement, signedIn: boolean): void;
  setLive(open: boolean): void;
}

export function dashboardShell(siteLabel: () => string, onSignOut: () => void): Shell {
  const heading = el('h1', { id: 'page-title', tabindex: -1 });
  const content = el('div', {});
  const live = el('span', { class: 'live-dot', 'data-testid': 'live-state' });
  const nav = el(
    'nav',
    { 'aria-label': t('dashboard.sectionsNav') },
    ...SECTIONS.map((s) => el('a', { href: `#/${s}` }, t(`dashboard.sections.${s}`))),
  );
  const account = el(
    'div',
    { class: 'account' },
    live,
    el('button', { type: 'button', class: 'link', onclick: onSignOut }, t('common.signOut')),
  );
  const brand = el('span', { class: 'brand' }, 'Ampshare', el('span', {}, t('dashboard.brand')));
  const root = el(
    'div',
    { class: 'shell' },
    el(
      'a',
      { href: '#main', class: 'skip-link', onclick: (e: Event) => (e.preventDefault(), heading.focus()) },
      t('common.skipToContent'),
    ),
    el('header', { class: 'top' }, brand, nav, languageSwitch(), account),
    el('main', { id: 'main' }, heading, content),
  );
  return {
    root,
    show: (title, page, signedIn) => {
      document.title = `${title} · ${siteLabel()} · Ampshare`;
      heading.textContent = title;
      nav.hidden = !signedIn;
      account.hidden = !signedIn;
      for (const link of nav.querySelectorAll('a')) {
        if (location.hash.startsWith(link.getAttribute('href') ?? '#')) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
      replaceChildren(content, page);
      heading.focus();
    },
    setLive: (open) => {
      live.textContent = open ? t('dashboard.live') : t('dashboard.reconnecting');
    },
  };
}
