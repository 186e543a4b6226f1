/** Numbers, currents, powers, energies and times in the page's language (`12,5 A`, `03.12.2026, 14:05` in German). */
import { currentLocale } from './i18n';

/** `value` with exactly `digits` decimals (without: as many as it has, up to 2), grouped as the language groups thousands. */
export function formatNumber(value: number, digits?: number): string {
  return new Intl.NumberFormat(currentLocale(), {
    minimumFractionDigits: digits ?? 0,
    maximumFractionDigits: digits ?? 2,
  }).format(value);
}

/** A current: `12.5 A`, `12,5 A`. */
export const formatAmps = (amps: number, digits = 1) => `${formatNumber(amps, digits)} A`;

/** Per-phase currents: `12.5 / 12.5 / 0.0`. */
export const formatPhaseAmps = (amps: readonly number[]) => amps.map((a) => formatNumber(a, 1)).join(' / ');

/** A date and time to the minute: `12/03/2026, 02:05 PM`, `03.12.2026, 14:05`. */
export function formatTime(at: number): string {
  return new Intl.DateTimeFormat(currentLocale(), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** A time of day, with the weekday when the span covers more than one day (the load chart's axis). */
export function formatClock(at: number, withWeekday: boolean): string {
  return new Intl.DateTimeFormat(currentLocale(), {
    ...(withWeekday && { weekday: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}
