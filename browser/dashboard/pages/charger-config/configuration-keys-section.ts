/**
 * Every configuration key a charger reports (GetConfiguration): read-only ones shown, writable ones editable
 * (ChangeConfiguration, with the charger's answer), and a warning, with a confirmation, on the keys the agent manages.
 */
import {
  ChargerCallAnswerSchema,
  type ChargerConfigurationAnswer,
  type ConfigurationKeyView,
} from '../../../../shared/dashboard/charger-configuration-answers';
import { dataTable } from '../../../ui/data-table';
import { el } from '../../../ui/element';
import { saidText } from '../../../ui/i18n/untranslated';
import { t } from '../../../ui/i18n/i18n';
import { describeError } from '../../../ui/json-api';
import type { LiveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';
import { chargerStatus } from './charger-status';

export function configurationKeysSection(ctx: PageContext, answer: ChargerConfigurationAnswer, status: LiveRegion) {
  const { chargerId } = answer;
  const change = async (key: ConfigurationKeyView, value: string, button: HTMLButtonElement) => {
    if (key.managed !== null && !window.confirm(t('dashboard.chargerConfig.managedConfirm', { key: key.key }))) return;
    button.disabled = true;
    try {
      const { status: answered } = await ctx.api.send(
        'PUT',
        `/chargers/${encodeURIComponent(chargerId)}/configuration`,
        { key: key.key, value },
        ChargerCallAnswerSchema,
      );
      status.say(
        t('dashboard.chargerConfig.changed', { key: key.key, status: chargerStatus(answered) }),
        answered === 'Accepted' ? 'ok' : 'error',
      );
    } catch (error) {
      status.say(t('dashboard.chargerConfig.cannotChange', { key: key.key, error: describeError(error) }), 'error');
    } finally {
      button.disabled = false;
    }
  };
  const valueCell = (key: ConfigurationKeyView) => {
    const managed =
      key.managed === null
        ? null
        : el(
            'p',
            { class: 'field-hint', 'data-testid': `managed-${key.key}` },
            t('dashboard.chargerConfig.managed'),
            ' ',
            saidText({ message: key.managed, reason: key.managedReason ?? undefined }),
          );
    if (key.readonly) return el('div', {}, el('span', {}, key.value ?? '–'), managed);
    const input = el('input', {
      type: 'text',
      value: key.value ?? '',
      maxlength: 500,
      'aria-label': t('dashboard.chargerConfig.valueOf', { key: key.key }),
    });
    const button = el('button', { type: 'button' }, t('dashboard.chargerConfig.change', { key: key.key }));
    button.addEventListener('click', () => void change(key, input.value, button));
    return el('div', {}, el('div', { class: 'actions' }, input, button), managed);
  };
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'config-keys-heading' },
    el('h2', { id: 'config-keys-heading' }, t('dashboard.chargerConfig.keysHeading')),
    dataTable({
      caption: t('dashboard.chargerConfig.keysCaption', { id: chargerId }),
      testId: 'configuration-keys',
      rows: answer.keys,
      empty: t('dashboard.chargerConfig.noKeys'),
      columns: [
        { header: t('dashboard.chargerConfig.key'), cell: (k) => k.key },
        { header: t('dashboard.chargerConfig.value'), cell: valueCell },
        {
          header: t('dashboard.chargerConfig.access'),
          cell: (k) => (k.readonly ? t('dashboard.chargerConfig.readonly') : t('dashboard.chargerConfig.writable')),
        },
      ],
    }),
  );
}
