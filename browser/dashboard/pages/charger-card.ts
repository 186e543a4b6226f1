/** One charger in device management: its details and connectors (updated live) and what an installer can change on it. */
import { badge, formatTime, type Tone } from '../../ui/badges';
import { el, replaceChildren } from '../../ui/element';
import { showFieldIssues } from '../../ui/field-issues';
import { passwordField } from '../../ui/form-fields';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import {
  ChargerActionAnswerSchema,
  type ChargerActionAnswer,
  type ChargerView,
} from '../../../shared/dashboard/api-answers';
import type { PageContext } from '../page-context';
import { factsList } from './facts-list';
import { carInSession, STILL_CHARGING_NOTE, switchOffConfirmation } from './switch-off-confirmation';

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
      ? `${view.phaseRotation} (charger reports ${view.reportedPhaseRotation})`
      : view.phaseRotation;
  const vip = view.vip.site ? 'yes (site file)' : view.vip.policy ? 'yes' : 'no';
  return factsList([
    ['IP address', view.ip ?? 'not connected yet'],
    ['Vendor / model', `${view.vendor ?? '–'} / ${view.model ?? '–'}`],
    ['Firmware', view.firmware ?? '–'],
    ['Phases', `${view.phases}, rotation ${rotation}`],
    ['Max current', `${view.maxAmps} A per phase (min ${view.minAmps} A)`],
    ['VIP', vip],
    [
      'Password',
      view.password.set
        ? view.password.setAt
          ? `set on the dashboard ${formatTime(view.password.setAt)}`
          : 'set in the configuration'
        : 'none',
    ],
    ['Last boot', view.lastBootAt ? formatTime(view.lastBootAt) : '–'],
  ]);
}

function connectors(view: ChargerView): HTMLElement {
  return el(
    'ul',
    { class: 'connectors', 'aria-label': `Connectors of ${view.id}` },
    ...view.connectors.map((k) =>
      el(
        'li',
        {},
        `#${k.id} `,
        badge(k.status, statusTone(k.status)),
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
    badge('not in site file', 'warn'),
    ` adopted under ${chargerId}'s circuit and maximum; add { "id": ${connectorId} } to its connectors to make it permanent`,
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
    label: `New password for ${view.id}`,
    hint: '16 to 40 characters; the charger must use it from its next connection.',
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
      const switchedOffCharging = path === 'enabled' && !answer.charger.enabled && carInSession(answer.charger);
      status.say(
        answer.generatedPassword ? '' : `${answer.message}${switchedOffCharging ? `. ${STILL_CHARGING_NOTE}` : ''}`,
        answer.outcome === 'accepted' || answer.outcome === 'notConnected' ? 'ok' : 'error',
      );
      if (answer.generatedPassword) {
        replaceChildren(
          status.node,
          `New password (shown once): `,
          el('code', { class: 'secret', 'data-testid': 'generated-password' }, answer.generatedPassword),
          `. ${answer.message}`,
        );
      }
    } catch (error) {
      const unplaced = showFieldIssues(fields, error instanceof ApiError ? error.details : []);
      status.say(
        unplaced.length || !(error instanceof ApiError)
          ? `Not changed: ${describeError(error)}`
          : 'Not changed: check the marked field.',
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
      badge(view.link, LINK_TONE[view.link]),
      view.enabled ? null : badge(carInSession(view) ? 'switched off, car still charging' : 'switched off', 'bad'),
    );
    replaceChildren(body, details(view), connectors(view));
    toggle.textContent = view.enabled ? `Switch ${view.id} off` : `Switch ${view.id} on`;
    vipToggle.textContent = view.vip.policy ? `Remove VIP from ${view.id}` : `Make ${view.id} VIP`;
    vipToggle.disabled = view.vip.site;
  };
  update(view);

  const passwordForm = el(
    'form',
    {
      class: 'inline-form',
      'aria-label': `Password of ${view.id}`,
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void act('password', { mode: 'set', password: password.read() })),
    },
    password.node,
    el('button', { type: 'submit' }, 'Set password'),
    el(
      'button',
      { type: 'button', onclick: () => void act('password', { mode: 'generate' }, []) },
      'Generate new password',
    ),
  );
  const node = el(
    'article',
    { class: 'card charger', 'aria-labelledby': headingId, 'data-charger': view.id },
    title,
    body,
    el('div', { class: 'actions' }, toggle, vipToggle),
    confirmOff.node,
    basicAuth
      ? passwordForm
      : el('p', { class: 'field-hint' }, 'Chargers connect without a password on this site (ocpp.basicAuth is off).'),
    status.node,
  );
  return { node, update };
}
