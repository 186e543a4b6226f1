/**
 * Peak-demand control for a capacity tariff: counts the site's import energy per demand period from the grid meter,
 * keeps each month's highest period average, and gives every round the chargers' power cap for the rest of the period
 * (`shared/demand/demand-budget.ts`). The fuses, the budget and everything else still hold: the cap only lowers.
 *
 * Energy: the meter's import register where it has one (exact across gaps), else the power integrated between polls.
 * While the meter is lost (no valid reading for the stale-meter time) the period is uncertain: the energy since the
 * last reading counts at the highest import of the last five minutes and the other load at that same power, so the
 * chargers get less, never more. An uncertain period's average does not raise the month's peak the target follows
 * (it may be too high as well as too low), and is logged.
 */
import { budgetFloorW, DEMAND_MIN_LEFT_MS, demandRoom, periodTargetKw } from '../../shared/demand/demand-budget';
import { demandPeriodAt, type DemandPeriod } from '../../shared/demand/demand-period';
import type { DemandState, MonthPeak } from '../../shared/demand/demand-state';
import type { DemandAnswer } from '../../shared/dashboard/demand-answer';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Clock } from '../platform/clock';
import type { ControlStateStore } from './control-ports';

/** The grid meter's import at a reading. */
export interface GridImport {
  readonly watts: number;
  /** The import energy register (Wh); 0 when the meter has none. */
  readonly registerWh: number;
}

export interface DemandControlDeps {
  readonly state: ControlStateStore;
  readonly clock: Clock;
  readonly log: { info(data: object, message: string): void; warn(data: object, message: string): void };
  /** The site's time zone (a site change may set another): periods and months follow its clock. */
  timezone(): string;
  readonly nominalVolts: number;
}

const MS_PER_HOUR = 3_600_000;
/** How often the period's count is saved between period ends. */
const SAVE_EVERY_MS = 10_000;
/** The other load's forecast: its highest estimate over this window. */
const FORECAST_WINDOW_MS = 60_000;
/** While the meter is lost, import is assumed at its highest over this window. */
const LOST_WINDOW_MS = 5 * 60_000;
/** A rise of the chargers' cap smaller than this (W), or than this share of it, waits. */
const RAISE_BAND_W = 1_000;
const RAISE_BAND_SHARE = 0.05;
/** The months of peaks kept. */
const MONTHS_KEPT = 13;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class DemandControl {
  private state: Mutable<Omit<DemandState, 'peaks'>> & { peaks: MonthPeak[] };
  private readonly recentImport: Array<[at: number, watts: number]> = [];
  private readonly recentOther: Array<[at: number, watts: number]> = [];
  private savedAt = 0;
  /** The cap in force (W) and the period it was set in. */
  private capW: number | undefined;
  private capPeriod: number | undefined;
  /** The last round's target and forecast (kW), for the dashboard. */
  private lastRound: { targetKw: number; forecastKw: number } | undefined;

  /** When the grid meter last gave a valid reading (the count may have moved on without one: a period closed). */
  private lastReadingAt: number;

  constructor(private readonly deps: DemandControlDeps) {
    const stored = deps.state.demandState();
    this.state = stored
      ? { ...stored, period: { ...stored.period }, peaks: [...stored.peaks] }
      : { ...emptyCount(deps.clock.now()), peaks: [] };
    this.lastReadingAt = this.state.countedAt;
  }

  /** A valid reading of the grid meter at `at`. */
  onReading(at: number, reading: GridImport, policy: Policy): void {
    const demand = policy.demandControl;
    if (!demand.enabled) return;
    const s = this.state;
    this.remember(this.recentImport, at, reading.watts);
    const lost = at - this.lastReadingAt > this.staleAfterMs(policy);
    this.lastReadingAt = Math.max(this.lastReadingAt, at);
    if (s.countedAt === 0 || this.periodLength(s.period) !== demand.periodMinutes) {
      this.restart(at, reading, demand.periodMinutes, this.staleAfterMs(policy));
      return;
    }
    if (at <= s.countedAt) return;
    const gapMs = at - s.countedAt;
    const registered =
      reading.registerWh > 0 && s.registerWh !== undefined && s.registerWh > 0 && reading.registerWh >= s.registerWh
        ? reading.registerWh - s.registerWh
        : undefined;
    const wh =
      registered ??
      ((lost
        ? Math.max(s.importWatts, reading.watts, this.highest(this.recentImport, at, LOST_WINDOW_MS))
        : (s.importWatts + reading.watts) / 2) *
        gapMs) /
        MS_PER_HOUR;
    this.advance(at, wh, lost && (registered === undefined || at > s.period.end), demand.periodMinutes);
    s.registerWh = reading.registerWh > 0 ? reading.registerWh : undefined;
    s.importWatts = reading.watts;
    if (at - this.savedAt >= SAVE_EVERY_MS) this.save(at);
  }

  /**
   * The chargers' power cap (W) for a round at `now`, given the other load's estimate (W; undefined while the grid
   * meter is lost); undefined when demand control is off or sets no target.
   */
  chargerCapW(now: number, otherWatts: number | undefined, policy: Policy): number | undefined {
    const demand = policy.demandControl;
    if (!demand.enabled || this.state.countedAt === 0) return undefined;
    const s = this.state;
    const lost = now - this.lastReadingAt > this.staleAfterMs(policy);
    const assumedWatts = Math.max(s.importWatts, this.highest(this.recentImport, now, LOST_WINDOW_MS));
    if (lost && now >= s.period.end) {
      // No reading since before the period ended: close it on what the meter last showed, as uncertain.
      this.advance(now, (assumedWatts * (now - s.countedAt)) / MS_PER_HOUR, true, demand.periodMinutes);
      s.importWatts = assumedWatts;
      this.save(now);
    }
    if (otherWatts !== undefined && !lost) this.remember(this.recentOther, now, otherWatts);
    const targetKw = periodTargetKw(demand, this.monthPeakKw(s.period.month));
    if (targetKw === Number.POSITIVE_INFINITY) {
      this.lastRound = undefined;
      return undefined;
    }
    const importedWh = s.importedWh + (lost ? (assumedWatts * (now - s.countedAt)) / MS_PER_HOUR : 0);
    const other = lost
      ? assumedWatts
      : Math.max(otherWatts ?? 0, this.highest(this.recentOther, now, FORECAST_WINDOW_MS));
    const { chargerWatts: room, forecastKw } = demandRoom({
      period: s.period,
      now,
      targetKw,
      marginKw: demand.marginKw,
      importedWh,
      otherWatts: other,
      minLeftMs: DEMAND_MIN_LEFT_MS,
    });
    this.lastRound = { targetKw, forecastKw };
    this.capW = this.calmCap(room, now, demand.marginKw);
    // The budget's floor holds here as for schedules and setpoints: the chargers keep `budget.min` whatever the target.
    return Math.max(this.capW, budgetFloorW(policy, this.deps.nominalVolts));
  }

  /**
   * The cap in force moves only when the room has moved enough: it falls as soon as keeping it would spend more than
   * half the margin's energy by the period's end, and rises by at least `RAISE_BAND` (or a new period starts). So the
   * chargers' limits do not follow every tenth of a kilowatt the forecast moves, and the margin still holds.
   */
  private calmCap(room: number, now: number, marginKw: number): number {
    const s = this.state;
    const current = this.capW;
    if (current === undefined || this.capPeriod !== s.period.start) {
      this.capPeriod = s.period.start;
      return room;
    }
    const leftHours = Math.max(0, s.period.end - now) / MS_PER_HOUR;
    const periodHours = (s.period.end - s.period.start) / MS_PER_HOUR;
    if (room < current) return (current - room) * leftHours > 0.5 * marginKw * 1000 * periodHours ? room : current;
    return room - current >= Math.max(RAISE_BAND_W, RAISE_BAND_SHARE * current) ? room : current;
  }

  /** The month's highest period average so far (kW), uncertain periods left out. */
  monthPeakKw(month: string): number {
    return this.state.peaks.find((p) => p.month === month)?.kw ?? 0;
  }

  /** The period being counted, its energy so far, and the peaks kept. */
  current(): DemandState {
    return this.state;
  }

  /** What the dashboard shows: the period so far, its forecast and target, the cap in force and the months' peaks. */
  status(now: number, policy: Policy): DemandAnswer {
    const s = this.state;
    const counting = policy.demandControl.enabled && s.countedAt > 0;
    const elapsedHours = (Math.min(now, s.period.end) - s.period.start) / MS_PER_HOUR;
    const round = counting ? this.lastRound : undefined;
    return {
      enabled: policy.demandControl.enabled,
      period: counting ? { ...s.period } : null,
      averageSoFarKw: counting && elapsedHours > 0 ? s.importedWh / elapsedHours / 1000 : null,
      forecastKw: round?.forecastKw ?? null,
      targetKw: round?.targetKw ?? null,
      chargersCapKw: round && this.capW !== undefined ? this.capW / 1000 : null,
      uncertain: counting && s.uncertain,
      monthPeaks: s.peaks.map((peak) => ({ ...peak })),
    };
  }

  /** Adds `wh` imported between the count's time and `to`, shared in time over every period end it passes. */
  private advance(to: number, wh: number, uncertain: boolean, minutes: number): void {
    const s = this.state;
    let from = s.countedAt;
    let left = wh;
    while (to > s.period.end) {
      const part = to > from ? (left * (s.period.end - from)) / (to - from) : 0;
      s.importedWh += part;
      left -= part;
      from = s.period.end;
      if (uncertain) s.uncertain = true;
      this.close(minutes);
    }
    s.importedWh += left;
    s.countedAt = to;
    if (uncertain) s.uncertain = true;
  }

  /** Ends the period: its average may set the month's peak; the next period starts at its end. */
  private close(minutes: number): void {
    const s = this.state;
    const kw = s.importedWh / ((s.period.end - s.period.start) / MS_PER_HOUR) / 1000;
    const peak = s.peaks.find((p) => p.month === s.period.month);
    const data = { start: new Date(s.period.start).toISOString(), kw: Math.round(kw * 100) / 100 };
    if (s.uncertain) {
      this.deps.log.warn(data, 'demand period closed uncertain (meter lost or agent stopped): not counted as a peak');
    } else if (peak === undefined || kw > peak.kw) {
      if (peak) Object.assign(peak, { kw, at: s.period.start });
      else s.peaks.push({ month: s.period.month, kw, at: s.period.start });
      if (s.peaks.length > MONTHS_KEPT) s.peaks.shift();
      this.deps.log.info({ ...data, month: s.period.month }, "demand period closed: the month's new peak");
    }
    s.period = demandPeriodAt(s.period.end, minutes, this.deps.timezone());
    s.importedWh = 0;
    s.uncertain = false;
  }

  /**
   * Counting starts over at `at` (first reading, or a new period length): the part of the period before counts at
   * this reading's power, and makes the period uncertain when it is longer than a reading may be late.
   */
  private restart(at: number, reading: GridImport, minutes: number, staleAfterMs: number): void {
    const period = demandPeriodAt(at, minutes, this.deps.timezone());
    this.state = {
      period,
      importedWh: (reading.watts * (at - period.start)) / MS_PER_HOUR,
      countedAt: at,
      ...(reading.registerWh > 0 && { registerWh: reading.registerWh }),
      importWatts: reading.watts,
      uncertain: at - period.start > staleAfterMs,
      peaks: this.state.peaks,
    };
    this.deps.log.info({ start: new Date(period.start).toISOString(), minutes }, 'demand control: the count starts');
    this.save(at);
  }

  private save(at: number): void {
    this.savedAt = at;
    this.deps.state.saveDemandState(this.state);
  }

  private periodLength(period: DemandPeriod): number {
    return (period.end - period.start) / 60_000;
  }

  private staleAfterMs(policy: Policy): number {
    return policy.control.mode === 'dynamic' ? policy.control.staleMeter.afterSeconds * 1000 : 10_000;
  }

  private remember(window: Array<[number, number]>, at: number, watts: number): void {
    window.push([at, watts]);
    while ((window[0]?.[0] ?? at) < at - LOST_WINDOW_MS) window.shift();
  }

  private highest(window: ReadonlyArray<[number, number]>, now: number, spanMs: number): number {
    let most = 0;
    for (const [at, watts] of window) if (at >= now - spanMs && watts > most) most = watts;
    return most;
  }
}

/** A count that has not started (no reading yet). */
function emptyCount(now: number): Omit<DemandState, 'peaks'> {
  return {
    period: { start: now, end: now, month: '0000-00' },
    importedWh: 0,
    countedAt: 0,
    importWatts: 0,
    uncertain: true,
  };
}
