/** A charger's OCPP answer status (Accepted, Rejected, RebootRequired, …) in the page's language. */
import { t } from '../../../ui/i18n/i18n';

const KNOWN = [
  'Accepted',
  'Rejected',
  'RebootRequired',
  'NotSupported',
  'NotImplemented',
  'Unlocked',
  'UnlockFailed',
] as const;

export function chargerStatus(status: string): string {
  const known = KNOWN.find((k) => k === status);
  return known === undefined ? status : t(`dashboard.chargerConfig.statuses.${known}`);
}
