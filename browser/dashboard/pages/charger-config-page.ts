/**
 * A connected charger's configuration: pick the charger, then its configuration keys (GetConfiguration, writable ones
 * editable), what the agent allocates each connector beside the charger's composite schedule, the charging profiles the
 * agent sent it with its answers, and service actions.
 */
import {
  ChargerConfigurationAnswerSchema,
  ChargerSchedulesAnswerSchema,
} from '../../../shared/dashboard/charger-configuration-answers';
import { DevicesAnswerSchema, type DevicesAnswer } from '../../../shared/dashboard/api-answers';
import { SentProfilesAnswerSchema } from '../../../shared/dashboard/sent-profiles-answer';
import { el, replaceChildren } from '../../ui/element';
import { selectField } from '../../ui/form-fields';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import type { Page, PageContext } from '../page-context';
import { chargerSchedulesSection } from './charger-config/charger-schedules-section';
import { chargerServiceSection } from './charger-config/charger-service-section';
import { configurationKeysSection } from './charger-config/configuration-keys-section';
import { sentProfilesSection } from './charger-config/sent-profiles-section';

export function chargerConfigPage(ctx: PageContext): Page {
  const status = liveRegion('charger-config-status');
  const picker = el('div', {}, t('common.loading'));
  const holder = el('div', {});

  const open = async (charger: DevicesAnswer['chargers'][number]) => {
    const path = `/chargers/${encodeURIComponent(charger.id)}`;
    replaceChildren(holder);
    status.say(t('dashboard.chargerConfig.reading', { id: charger.id }));
    try {
      // One after the other: the charger takes one call at a time.
      const keys = await ctx.api.get(`${path}/configuration`, ChargerConfigurationAnswerSchema);
      const schedules = await ctx.api.get(`${path}/schedules`, ChargerSchedulesAnswerSchema);
      const sent = await ctx.api.get(`${path}/sent-profiles`, SentProfilesAnswerSchema);
      replaceChildren(
        holder,
        configurationKeysSection(ctx, keys, status),
        chargerSchedulesSection(schedules),
        sentProfilesSection(sent),
        chargerServiceSection(
          ctx,
          charger.id,
          schedules.connectors.map((c) => c.connectorId),
          status,
        ),
      );
      status.say(t('dashboard.chargerConfig.read', { id: charger.id, count: keys.keys.length }), 'ok');
    } catch (error) {
      status.say(t('dashboard.chargerConfig.cannotRead', { id: charger.id, error: describeError(error) }), 'error');
    }
  };
  const showPicker = (devices: DevicesAnswer) => {
    const select = selectField({
      path: 'charger',
      label: t('dashboard.chargerConfig.charger'),
      choices: devices.chargers.map((c) => ({
        value: c.id,
        label: c.link === 'online' ? c.id : t('dashboard.chargerConfig.offlineCharger', { id: c.id }),
      })),
    });
    const read = () => {
      const charger = devices.chargers.find((c) => c.id === select.read());
      if (charger !== undefined) void open(charger);
    };
    replaceChildren(
      picker,
      el(
        'form',
        { class: 'card', novalidate: true, onsubmit: (e: Event) => (e.preventDefault(), read()) },
        el('p', { class: 'muted' }, t('dashboard.chargerConfig.intro')),
        select.node,
        el(
          'div',
          { class: 'actions' },
          el('button', { type: 'submit', class: 'primary' }, t('dashboard.chargerConfig.readButton')),
        ),
      ),
    );
  };
  void ctx.api.get('/chargers', DevicesAnswerSchema).then(showPicker, (error: unknown) => {
    replaceChildren(picker);
    status.say(t('dashboard.chargerConfig.cannotList', { error: describeError(error) }), 'error');
  });
  return { title: t('dashboard.sections.chargerConfig'), node: el('div', {}, picker, status.node, holder) };
}
