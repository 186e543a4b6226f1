/** Device management: a card per charger, kept current by the live `devices` updates. */
import { el, replaceChildren } from '../../ui/element';
import { describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { DevicesAnswerSchema, type DevicesAnswer } from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';
import { chargerCard, type ChargerCard } from './charger-card';

export function devicesPage(ctx: PageContext): Page {
  const holder = el('div', { class: 'cards', 'data-testid': 'chargers' }, 'Loading the chargers…');
  const status = liveRegion('devices-status');
  const cards = new Map<string, ChargerCard>();
  const show = (devices: DevicesAnswer) => {
    if (cards.size === 0) {
      for (const charger of devices.chargers) cards.set(charger.id, chargerCard(ctx, charger, devices.basicAuth));
      replaceChildren(holder, ...[...cards.values()].map((c) => c.node));
      if (devices.chargers.length === 0)
        replaceChildren(holder, el('p', { class: 'muted' }, 'The site file lists no chargers.'));
      status.say(`${devices.chargers.length} chargers.`);
      return;
    }
    for (const charger of devices.chargers) cards.get(charger.id)?.update(charger);
  };
  void ctx.api
    .get('/chargers', DevicesAnswerSchema)
    .then(show, (error: unknown) => status.say(`Could not read the chargers: ${describeError(error)}`, 'error'));
  const stop = ctx.live.on('devices', DevicesAnswerSchema, (devices) => cards.size > 0 && show(devices));
  return { title: 'Device management', node: el('div', {}, status.node, holder), dispose: stop };
}
