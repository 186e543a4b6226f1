/** Which budget applies at a moment: the policy's max, or a time-of-day schedule's. */
import type { BudgetSource } from '../allocation/allocation-types';
import { scheduleIntervals, type Policy } from './policy-schema';

const WEEKDAY = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 } as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minute of the week (Monday 00:00 = 0) of `now` in `timezone`. */
export function minuteOfWeek(now: number, timezone: string): number {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(now)) {
    if (part.type === 'weekday') day = WEEKDAY[part.value as keyof typeof WEEKDAY];
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return day * 1440 + hour * 60 + minute;
}

/** The budget (in the policy's unit) in force at `now`, and where it comes from. */
export function activeBudget(policy: Policy, now: number, timezone: string): { value: number; source: BudgetSource } {
  if (policy.schedules.length === 0) return { value: policy.budget.max, source: 'static' };
  const minute = minuteOfWeek(now, timezone);
  for (const schedule of policy.schedules) {
    for (const [from, to] of scheduleIntervals(schedule)) {
      if (minute >= from && minute < to) return { value: schedule.budgetMax, source: 'schedule' };
    }
  }
  return { value: policy.budget.max, source: 'static' };
}
