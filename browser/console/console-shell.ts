/** The frame around every page: skip link, header with navigation and sign-out, and the main region pages render into. */
import type { SessionStore } from './session-store';
import { el, replaceChildren } from '../ui/element';
import { t } from '../ui/i18n/i18n';
import { languageSwitch } from '../ui/i18n/language-switch';

export interface Shell {
  readonly root: HTMLElement;
  /** Shows a page under its heading and moves focus to the heading, so keyboard and screen-reader users land on it. */
  show(title: string, content: HTMLElement, signedIn: boolean): void;
}

export function consoleShell(session: SessionStore, onSignOut: () => void): Shell {
  const heading = el('h1', { id: 'page-title', tabindex: -1 });
  const content = el('div', {});
  const user = el('span', { class: 'user' });
  const signOut = el('button', { type: 'button', class: 'link', onclick: onSignOut }, t('common.signOut'));
  const nav = el(
    'nav',
    { 'aria-label': t('console.mainNav') },
    el('a', { href: '#/sites' }, t('console.sites')),
    el('a', { href: '#/rollout' }, t('console.rollout')),
  );
  const account = el('div', { class: 'account' }, user, signOut);
  const root = el(
    'div',
    { class: 'shell' },
    el(
      'a',
      { href: '#main', class: 'skip-link', onclick: (e: Event) => (e.preventDefault(), heading.focus()) },
      t('common.skipToContent'),
    ),
    el(
      'header',
      { class: 'top' },
      el('a', { href: '#/sites', class: 'brand' }, 'Ampshare', el('span', {}, t('console.brand'))),
      nav,
      languageSwitch(),
      account,
    ),
    el('main', { id: 'main' }, heading, content),
  );
  return {
    root,
    show: (title, page, signedIn) => {
      document.title = `${title} · Ampshare`;
      heading.textContent = title;
      nav.hidden = !signedIn;
      account.hidden = !signedIn;
      user.textContent = session.claims()?.sub ?? '';
      for (const link of nav.querySelectorAll('a'))
        link.toggleAttribute('aria-current', location.hash.startsWith(link.getAttribute('href') ?? '#'));
      replaceChildren(content, page);
      heading.focus();
    },
  };
}
