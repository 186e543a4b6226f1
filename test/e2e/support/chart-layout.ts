/** Where the load chart's labels are drawn: for the phone checks (readable, not overlapping, not cut off). */
import type { Locator, Page } from 'playwright-core';
import { evaluateConnected } from './connected-element';

export interface ChartLayout {
  /** Pairs of labels whose boxes overlap, as "a / b". */
  readonly overlapping: string[];
  /** Labels that reach outside the chart's box. */
  readonly cut: string[];
  /** The smallest label's height, in CSS pixels. */
  readonly smallestLabelPx: number;
  readonly chartWidthPx: number;
}

interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}
interface Measured {
  readonly chart: Box;
  readonly labels: readonly (Box & { readonly text: string })[];
}

/** `chart`: which chart, on a page that shows more than one. A live chart is measured as drawn last. */
export async function chartLayout(page: Page, chart?: Locator): Promise<ChartLayout> {
  const measured = await evaluateConnected(chart ?? page.locator('svg.load-chart'), (svg): Measured => {
    const box = svg.getBoundingClientRect();
    return {
      chart: { left: box.left, right: box.right, top: box.top, bottom: box.bottom },
      labels: [...svg.querySelectorAll('text')].map((text) => {
        const r = text.getBoundingClientRect();
        return { text: text.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    };
  });
  return layoutOf(measured);
}

function layoutOf(measured: Measured): ChartLayout {
  const { labels } = measured;
  const box = measured.chart;
  return {
    overlapping: labels.flatMap((a, i) =>
      labels
        .slice(i + 1)
        .filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        .map((b) => `${a.text} / ${b.text}`),
    ),
    cut: labels
      .filter((l) => l.left < box.left || l.right > box.right || l.top < box.top || l.bottom > box.bottom)
      .map((l) => l.text),
    smallestLabelPx: Math.min(...labels.map((l) => l.bottom - l.top)),
    chartWidthPx: box.right - box.left,
  };
}

/** The load data table's rows as the CSV would write them: instants from `datetime`, numbers as shown. */
export function loadDataRows(page: Page): Promise<string[][]> {
  return page
    .getByTestId('load-data')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('td')].map(
          (cell) => cell.querySelector('time')?.getAttribute('datetime') ?? cell.textContent ?? '',
        ),
      ),
    );
}
