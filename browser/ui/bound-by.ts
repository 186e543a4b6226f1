/**
 * What held a connector's allocation, in words: the allocator names it `car`, `charger`, `budget`, `budget:L1`,
 * `circuit:<id>:L1`, `charger:<id>:L1`, `gridLimit:L1`, `imbalance:L1`, `raiseGate` or `bootReservation` (shared/allocation); a name
 * it gains that this page does not know is shown as sent.
 */
import { t } from './i18n/i18n';

export function boundByText(boundBy: string): string {
  const [kind = '', first = '', second = ''] = boundBy.split(':');
  const phase = (text: string, name: string) => (name ? `${text} ${name}` : text);
  switch (kind) {
    case 'car':
      return t('common.boundBy.car');
    case 'raiseGate':
      return t('common.boundBy.raiseGate');
    case 'bootReservation':
      return t('common.boundBy.bootReservation');
    case 'budget':
      return phase(t('common.boundBy.budget'), first);
    case 'gridLimit':
      return phase(t('common.boundBy.gridLimit'), first);
    case 'imbalance':
      return phase(t('common.boundBy.imbalance'), first);
    case 'circuit':
      return phase(t('common.boundBy.circuit', { id: first }), second);
    case 'charger':
      return first ? phase(t('common.boundBy.chargerNamed', { id: first }), second) : t('common.boundBy.charger');
    default:
      return boundBy;
  }
}
