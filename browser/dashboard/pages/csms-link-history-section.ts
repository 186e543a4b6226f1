/**
 * Device monitoring's CSMS link section, for an agent in front of an operator's CSMS (docs/csms.md): the share of
 * chargers linked and the messages queued over the load chart's range (the shared `csms-link-chart`), kept current
 * by the live samples. Hidden for an agent without an upstream CSMS.
 */
import { csmsLinkChart } from '../../ui/csms-link-chart';
import { el, replaceChildren } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import { redrawOnResize } from '../../ui/load-chart';
import type { CsmsLinkPoint, MonitoringAnswer } from '../../../shared/dashboard/api-answers';
import type { PageContext } from '../page-context';
import type { Range } from './load-history-section';

export interface CsmsLinkHistorySection {
  readonly node: HTMLElement;
  show(answer: MonitoringAnswer, range: Range): void;
  /** A live point: appended and drawn. */
  add(point: CsmsLinkPoint): void;
}

export function csmsLinkHistorySection(ctx: PageContext): CsmsLinkHistorySection {
  const holder = el('div', { class: 'chart-holder', 'data-testid': 'csms-link-chart' });
  let shown: { points: CsmsLinkPoint[]; stepMs: number; range: Range } | undefined;
  const node = el(
    'section',
    { class: 'card', 'aria-labelledby': 'csms-history-heading', hidden: '' },
    el('h2', { id: 'csms-history-heading' }, t('dashboard.csmsHistory.heading')),
    holder,
  );
  const draw = () => {
    if (shown === undefined) return;
    const { points, stepMs, range } = shown;
    const to = Math.max(ctx.now(), points.at(-1)?.at ?? 0);
    replaceChildren(
      holder,
      csmsLinkChart({
        points,
        from: to - range.ms,
        to,
        hours: range.id,
        gapMs: stepMs * 3,
        widthPx: holder.clientWidth,
      }),
    );
  };
  redrawOnResize(holder, draw);
  return {
    node,
    show(answer, range) {
      if (answer.csmsLink === null) return;
      node.removeAttribute('hidden');
      shown = { points: answer.csmsLink.points, stepMs: answer.csmsLink.stepMs, range };
      draw();
    },
    add(point) {
      if (shown === undefined) return;
      shown = { ...shown, points: [...shown.points, point] };
      draw();
    },
  };
}
