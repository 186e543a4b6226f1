/**
 * The averaging periods of a capacity tariff: fixed-length periods aligned to the site's local clock, as the grid
 * operator's meter counts them (15 minutes: xx:00, xx:15, xx:30, xx:45), and the month each belongs to.
 *
 * A period always lasts its length in real time: across a daylight-saving change the local hour repeats or is skipped
 * whole, so a period that divides the hour never straddles the change. Time zones with half- or quarter-hour offsets
 * (Asia/Kolkata, Asia/Kathmandu) align to their own clock, not to UTC.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(now: number, timezone: string): { year: number; month: number; minute: number; second: number } {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, format);
  }
  const parts = { year: 0, month: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(now)) {
    if (part.type === 'year' || part.type === 'month' || part.type === 'minute' || part.type === 'second')
      parts[part.type] = Number(part.value);
  }
  return parts;
}

export interface DemandPeriod {
  /** Epoch ms of its first instant. */
  readonly start: number;
  /** Epoch ms just after its last instant (the next period's start). */
  readonly end: number;
  /** The local month it counts towards, `YYYY-MM`. */
  readonly month: string;
}

/** The period `now` falls in, for periods of `minutes` (a divisor of 60) in `timezone`. */
export function demandPeriodAt(now: number, minutes: number, timezone: string): DemandPeriod {
  const { minute, second } = localParts(now, timezone);
  const intoMs = ((minute % minutes) * 60 + second) * 1000 + (((now % 1000) + 1000) % 1000);
  const start = now - intoMs;
  const { year, month } = localParts(start, timezone);
  return { start, end: start + minutes * 60_000, month: `${year}-${String(month).padStart(2, '0')}` };
}
