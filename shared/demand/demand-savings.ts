/** The money peak-demand control saves on a capacity tariff (docs/demand-control.md, "Money saved"). */

export type TariffPeriod = 'year' | 'month';

/** kW avoided in a month: the uncontrolled estimate's peak above the peak with control (never below 0). */
export function avoidedKw(peakKw: number, uncontrolledPeakKw: number): number {
  return Math.max(0, uncontrolledPeakKw - peakKw);
}

/** The month's share of a tariff per kW: a yearly price bills a twelfth of itself each month. */
export function monthlyTariffPerKw(tariffPerKw: number, per: TariffPeriod): number {
  return per === 'year' ? tariffPerKw / 12 : tariffPerKw;
}

/** The money a month's avoided kW saves at `tariffPerKw` (in the tariff's currency), rounded to cents. */
export function monthSavings(
  peakKw: number,
  uncontrolledPeakKw: number,
  tariffPerKw: number,
  per: TariffPeriod,
): number {
  return Math.round(avoidedKw(peakKw, uncontrolledPeakKw) * monthlyTariffPerKw(tariffPerKw, per) * 100) / 100;
}
