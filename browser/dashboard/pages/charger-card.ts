/** One charger in device management: its details and connectors (updated live) and what an installer can change on it. */
import { badge, type Tone } from '../../ui/badges';
import { el, replaceChildren } from '../../ui/element';
import { showFieldIssues } from '../../ui/field-issues';
import { passwordField } from '../../ui/form-fields';
import { formatAmps, formatNumber, formatTime } from '../../ui/i18n/format';
import { t } from '../../ui/i18n/i18n';
import { serverTexts } from '../../ui/i18n/server-text';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import {
  ChargerActionAnswerSchema,
  type ChargerActionAnswer,
  type ChargerView,
} from '../../../shared/dashboard/api-answers';
import type { PageContext } from '../page-context';
import { factsList } from './facts-list';
import { carInSession, switchOffConfirmation } from './switch-off-confirmation';

const LINK_TONE: Record<ChargerView['link'], Tone> = { online: 'ok', offline: 'bad', unresponsive: 'warn' };

/** Connector states as badges: green while charging, red when faulted. */
export function statusTone(status: string): Tone {
  if (status === 'Faulted' || status === 'Unavailable') return 'bad';
  if (status === 'Charging') return 'ok';
  return status === 'Available' ? 'muted' : 'warn';
}

function details(view: ChargerView): HTMLElement {
  const rotation =
    view.reportedPhaseRotation && view.reportedPhaseRotation !== view.phaseRotation
      ? t('dashboard.charger.reportsRotation', { rotation: view.phaseRotation, reported: view.reportedPhaseRotation })
      : view.phaseRotation;
  const vip = view.vip.site ? t('dashboard.charger.vipSite') : view.vip.policy ? t('common.yes') : t('common.no');
  return factsList([
    [t('dashboard.charger.ipAddress'), view.ip ?? t('dashboard.charger.notConnected')],
    [t('dashboard.charger.vendorModel'), `${view.vendor ?? '–'} / ${view.model ?? '–'}`],
    [t('dashboard.charger.firmware'), view.firmware ?? '–'],
    [
      t('dashboard.charger.phases'),
      t('dashboard.charger.phasesValue', { phases: formatNumber(view.phases), rotation }),
    ],
    [
      t('dashboard.charger.maxCurrent'),
      t('dashboard.charger.maxCurrentValue', { max: formatAmps(view.maxAmps, 0), min: formatAmps(view.minAmps, 0) }),
    ],
    [t('dashboard.charger.vip'), vip],
    [
      t('dashboard.charger.password'),
      view.password.set
        ? view.password.setAt
          ? t('dashboard.charger.passwordSetAt', { time: formatTime(view.password.setAt) })
          : t('dashboard.charger.passwordInConfig')
        : t('dashboard.charger.passwordNone'),
    ],
    [t('dashboard.charger.lastBoot'), view.lastBootAt ? formatTime(view.lastBootAt) : '–'],
  ]);
}

function connectors(view: ChargerView): HTMLElement {
  return el(
    'ul',
    { class: 'connectors', 'aria-label': t('dashboard.charger.connectorsOf', { id: view.id }) },
    ...view.connectors.map((k) =>
      el(
        'li',
        {},
        `#${k.id} `,
        badge(t(`common.connectorStatus.${k.status}`), statusTone(k.status)),
        k.fault ? badge(k.fault, 'bad') : null,
        k.vip ? badge('VIP', 'ok') : null,
        k.adopted ? adoptedNote(view.id, k.id) : null,
      ),
    ),
  );
}

/** A connector the site file does not list: controlled under the charger's entry until the installer lists it. */
function adoptedNote(chargerId: string, connectorId: number): HTMLElement {
  return el(
    'span',
    {},
    badge(t('dashboard.charger.notInSiteFile'), 'warn'),
    t('dashboard.charger.adopted', { charger: chargerId, connector: String(connectorId) }),
  );
}

export interface ChargerCard {
  readonly node: HTMLElement;
  update(view: ChargerView): void;
}

export function chargerCard(ctx: PageContext, initial: ChargerView, basicAuth: boolean): ChargerCard {
  let view = initial;
  const id = encodeURIComponent(view.id);
  const headingId = `charger-${view.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const title = el('h3', { id: headingId });
  const body = el('div', {});
  const status = liveRegion(`charger-status-${view.id}`);
  const toggle = el('button', { type: 'button' });
  const vipToggle = el('button', { type: 'button' });
  const password = passwordField({
    path: 'password',
    label: t('dashboard.charger.newPasswordFor', { id: view.id }),
    hint: t('dashboard.charger.newPasswordHint'),
    autocomplete: 'new-password',
  });

  const act = async (path: string, request: unknown, fields = [password]) => {
    try {
      showFieldIssues(fields, []);
      const answer: ChargerActionAnswer = await ctx.api.send(
        'PUT',
        `/chargers/${id}/${path}`,
        request,
        ChargerActionAnswerSchema,
      );
      update(answer.charger);
      const message = serverTexts(answer.reasons, answer.message);
      const switchedOffCharging = path === 'enabled' && !answer.charger.enabled && carInSession(answer.charger);
      status.say(
        answer.generatedPassword
          ? ''
          : `${message}${switchedOffCharging ? `. ${t('dashboard.charger.stillCharging')}` : ''}`,
        answer.outcome === 'accepted' || answer.outcome === 'notConnected' ? 'ok' : 'error',
      );
      if (answer.generatedPassword) {
        replaceChildren(
          status.node,
          t('dashboard.charger.generated'),
          el('code', { class: 'secret', 'data-testid': 'generated-password' }, answer.generatedPassword),
          `. ${message}`,
        );
      }
    } catch (error) {
      const unplaced = showFieldIssues(fields, error instanceof ApiError ? error.details : []);
      status.say(
        unplaced.length || !(error instanceof ApiError)
          ? t('dashboard.charger.notChanged', { error: describeError(error) })
          : t('dashboard.charger.notChangedField'),
        'error',
      );
    }
  };
  const confirmOff = switchOffConfirmation(() => void act('enabled', { enabled: false }));
  toggle.addEventListener('click', () =>
    view.enabled ? confirmOff.open(view) : void act('enabled', { enabled: true }),
  );
  vipToggle.addEventListener('click', () => void act('vip', { vip: !view.vip.policy }));

  const update = (next: ChargerView) => {
    view = next;
    replaceChildren(
      title,
      view.id,
      badge(t(`common.link.${view.link}`), LINK_TONE[view.link]),
      view.enabled
        ? null
        : badge(
            carInSession(view) ? t('dashboard.charger.switchedOffCharging') : t('dashboard.charger.switchedOff'),
            'bad',
          ),
    );
    replaceChildren(body, details(view), connectors(view));
    toggle.textContent = t(view.enabled ? 'dashboard.charger.switchOff' : 'dashboard.charger.switchOn', {
      id: view.id,
    });
    vipToggle.textContent = t(view.vip.policy ? 'dashboard.charger.removeVip' : 'dashboard.charger.makeVip', {
      id: view.id,
    });
    vipToggle.disabled = view.vip.site;
  };
  update(view);

  const passwordForm = el(
    'form',
    {
      class: 'inline-form',
      'aria-label': t('dashboard.charger.passwordOf', { id: view.id }),
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void act('password', { mode: 'set', password: password.read() })),
    },
    password.node,
    el('button', { type: 'submit' }, t('dashboard.charger.setPassword')),
    el(
      'button',
      { type: 'button', onclick: () => void act('password', { mode: 'generate' }, []) },
      t('dashboard.charger.generatePassword'),
    ),
  );
  const node = el(
    'article',
    { class: 'card charger', 'aria-labelledby': headingId, 'data-charger': view.id },
    title,
    body,
    el('div', { class: 'actions' }, toggle, vipToggle),
    confirmOff.node,
    basicAuth ? passwordForm : el('p', { class: 'field-hint' }, t('dashboard.charger.noBasicAuth')),
    status.node,
  );
  return { node, update };
}
