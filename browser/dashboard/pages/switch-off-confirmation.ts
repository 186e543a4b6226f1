/**
 * "Switch off" asks first, and says what it does: the charger is told to become Inoperative (OCPP ChangeAvailability),
 * which refuses new sessions; a car charging now is not stopped by the agent. It keeps charging, at least at the
 * fail-safe current the charger holds, until the charger itself ends the session (many finish it first).
 */
import { el } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import type { ChargerView } from '../../../shared/dashboard/api-answers';

/** Connector statuses of a session in progress: the car may draw current. */
const IN_SESSION = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE']);

/** Whether a car is in a session on the charger now. */
export const carInSession = (view: ChargerView): boolean => view.connectors.some((c) => IN_SESSION.has(c.status));

export interface SwitchOffConfirmation {
  readonly node: HTMLElement;
  /** Shows the question for the charger as it is now. */
  open(view: ChargerView): void;
}

export function switchOffConfirmation(onConfirm: () => void): SwitchOffConfirmation {
  const question = el('p', {});
  const confirm = el('button', { type: 'button', class: 'danger' });
  const cancel = el('button', { type: 'button' }, t('common.cancel'));
  const node = el(
    'div',
    { class: 'confirm', role: 'group', hidden: true },
    question,
    el('div', { class: 'actions' }, confirm, cancel),
  );
  const close = () => {
    node.hidden = true;
  };
  confirm.addEventListener('click', () => {
    close();
    onConfirm();
  });
  cancel.addEventListener('click', close);
  return {
    node,
    open(view) {
      node.setAttribute('aria-label', t('dashboard.charger.confirmLabel', { id: view.id }));
      question.textContent =
        t('dashboard.charger.confirmQuestion', { id: view.id }) +
        (carInSession(view) ? ` ${t('dashboard.charger.stillCharging')}` : '');
      confirm.textContent = t('dashboard.charger.confirmYes', { id: view.id });
      node.hidden = false;
      confirm.focus();
    },
  };
}
