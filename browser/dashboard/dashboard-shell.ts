/** The frame around every page: skip link, header with the sections, the live indicator and sign-out, and the main region. */
import { el, replaceChildren } from '../ui/element';
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
    { 'aria-label': 'Sections' },
    ...SECTIONS.map((s) => el('a', { href: `#/${s.route}` }, s.label)),
  );
  const account = el(
    'div',
    { class: 'account' },
    live,
    el('button', { type: 'button', class: 'link', onclick: onSignOut }, 'Sign out'),
  );
  const brand = el('span', { class: 'brand' }, 'Ampshare', el('span', {}, ' site dashboard'));
  const root = el(
    'div',
    { class: 'shell' },
    el(
      'a',
      { href: '#main', class: 'skip-link', onclick: (e: Event) => (e.preventDefault(), heading.focus()) },
      'Skip to content',
    ),
    el('header', { class: 'top' }, brand, nav, account),
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
      live.textContent = open ? '● live' : '○ reconnecting…';
    },
  };
}
