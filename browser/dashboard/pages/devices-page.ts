/** Device management: a card per charger, kept current by the live `devices` updates. */
import { el, replaceChildren } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { DevicesAnswerSchema, type DevicesAnswer } from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';
import { chargerCard, type ChargerCard } from './charger-card';

export function devicesPage(ctx: PageContext): Page {
  const holder = el('div', { class: 'cards', 'data-testid': 'chargers' }, t('dashboard.devices.loading'));
  const status = liveRegion('devices-status');
  const cards = new Map<string, ChargerCard>();
  const show = (devices: DevicesAnswer) => {
    if (cards.size === 0) {
      for (const charger of devices.chargers) cards.set(charger.id, chargerCard(ctx, charger, devices.basicAuth));
      replaceChildren(holder, ...[...cards.values()].map((c) => c.node));
      if (devices.chargers.length === 0)
        replaceChildren(holder, el('p', { class: 'muted' }, t('dashboard.devices.none')));
      status.say(t('dashboard.devices.count', { count: devices.chargers.length }));
      return;
    }
    for (const charger of devices.chargers) cards.get(charger.id)?.update(charger);
  };
  void ctx.api
    .get('/chargers', DevicesAnswerSchema)
    .then(show, (error: unknown) =>
      status.say(t('dashboard.devices.cannotRead', { error: describeError(error) }), 'error'),
    );
  const stop = ctx.live.on('devices', DevicesAnswerSchema, (devices) => cards.size > 0 && show(devices));
  return { title: t('dashboard.sections.devices'), node: el('div', {}, status.node, holder), dispose: stop };
}
