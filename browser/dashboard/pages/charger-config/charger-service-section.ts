/** The service actions on a charger: reset (soft or hard, confirmed first), unlock a connector, trigger a message. */
import { ChargerCallAnswerSchema } from '../../../../shared/dashboard/charger-configuration-answers';
import { el } from '../../../ui/element';
import { selectField } from '../../../ui/form-fields';
import { t } from '../../../ui/i18n/i18n';
import { describeError } from '../../../ui/json-api';
import type { LiveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';
import { chargerStatus } from './charger-status';

const MESSAGES = ['StatusNotification', 'MeterValues', 'Heartbeat', 'BootNotification'] as const;

export function chargerServiceSection(
  ctx: PageContext,
  chargerId: string,
  connectorIds: readonly number[],
  status: LiveRegion,
) {
  const path = `/chargers/${encodeURIComponent(chargerId)}`;
  const send = async (action: 'reset' | 'unlock' | 'trigger', body: object, done: string) => {
    try {
      const answer = await ctx.api.send('POST', `${path}/${action}`, body, ChargerCallAnswerSchema);
      status.say(t('dashboard.chargerConfig.answered', { action: done, status: chargerStatus(answer.status) }), 'ok');
    } catch (error) {
      status.say(t('dashboard.chargerConfig.cannotCall', { action: done, error: describeError(error) }), 'error');
    }
  };
  const reset = (type: 'Soft' | 'Hard') => {
    const action = type === 'Soft' ? t('dashboard.chargerConfig.resetSoft') : t('dashboard.chargerConfig.resetHard');
    if (!window.confirm(t('dashboard.chargerConfig.resetConfirm', { action, id: chargerId }))) return;
    void send('reset', { type }, action);
  };
  const connector = selectField({
    path: 'connectorId',
    label: t('dashboard.chargerConfig.connector'),
    numeric: true,
    choices: connectorIds.map((id) => ({ value: String(id), label: String(id) })),
  });
  const message = selectField({
    path: 'requestedMessage',
    label: t('dashboard.chargerConfig.message'),
    choices: MESSAGES.map((m) => ({ value: m, label: m })),
  });
  const button = (label: string, onclick: () => void) => el('button', { type: 'button', onclick }, label);
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'service-heading' },
    el('h2', { id: 'service-heading' }, t('dashboard.chargerConfig.serviceHeading')),
    el(
      'div',
      { class: 'actions' },
      button(t('dashboard.chargerConfig.resetSoft'), () => reset('Soft')),
      button(t('dashboard.chargerConfig.resetHard'), () => reset('Hard')),
    ),
    connector.node,
    message.node,
    el(
      'div',
      { class: 'actions' },
      button(t('dashboard.chargerConfig.unlock'), () => {
        const connectorId = connector.read() as number;
        void send(
          'unlock',
          { connectorId },
          t('dashboard.chargerConfig.unlockOne', { connector: String(connectorId) }),
        );
      }),
      button(t('dashboard.chargerConfig.trigger'), () => {
        const requestedMessage = message.read() as string;
        void send(
          'trigger',
          { requestedMessage, connectorId: connector.read() },
          t('dashboard.chargerConfig.triggerOne', { message: requestedMessage }),
        );
      }),
    ),
  );
}
