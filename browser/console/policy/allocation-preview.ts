/**
 * "Test Request Allocation": what every connector would get if a car plugged in on one connector, with the
 * cars already charging, under the policy being edited (or the site's desired one), from the shared allocator.
 */
import type { Policy } from '../../../shared/policy/policy-schema';
import { siteConnectorRefs } from '../../../shared/site/connector-ref';
import type { Site } from '../../../shared/site/site-schema';
import { ApiError, describeError } from '../../ui/json-api';
import {
  PreviewResultSchema,
  SessionListSchema,
  type ConnectorAllocationView,
  type PreviewResult,
} from '../api-schemas';
import type { PageContext } from '../page-context';
import { demandLine, demandPeriodFields } from './demand-period-fields';
import { badge } from '../../ui/badges';
import { boundByText } from '../../ui/bound-by';
import { budgetSourceText } from '../../ui/budget-source';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { choiceGroupField, selectField, textField } from '../../ui/form-fields';
import { liveRegion } from '../../ui/live-region';
import { formatAmps, formatNumber, formatPhaseAmps } from '../../ui/i18n/format';
import { t, type MessageKey } from '../../ui/i18n/i18n';
import { ALLOCATION_REASONS, type AllocationReason } from '../../../shared/allocation/allocation-types';

const ACTIVITY_TONE = { active: 'ok', paused: 'warn', idle: 'muted' } as const;
/** Sessions started this long ago or less are looked at for the cars charging now (a session open longer is not a car charging). */
const OPEN_SESSION_WINDOW_MS = 7 * 24 * 3600_000;

/** A reason of the shared allocator in words; one the API sends that this page does not know stays as sent. */
function reasonText(reason: string): string {
  const known = ALLOCATION_REASONS.find((r): r is AllocationReason => r === reason);
  return known === undefined ? reason : t(`common.reason.${known}` satisfies MessageKey);
}

function resultView(result: PreviewResult, requested: string): HTMLElement {
  const { allocation, request } = result;
  const line = request
    ? t('console.preview.wouldGet', {
        ref: request.ref,
        amps: formatAmps(request.amps),
        reason: request.boundBy
          ? t('console.preview.boundBy', { reason: reasonText(request.reason), boundBy: boundByText(request.boundBy) })
          : reasonText(request.reason),
      })
    : t('console.preview.noAllocation', { ref: requested });
  const amps = (a: ConnectorAllocationView) => formatPhaseAmps(a.phaseAmps);
  return el(
    'div',
    { 'data-testid': 'preview-result' },
    el(
      'p',
      { class: 'preview-line' },
      el('strong', {}, line),
      t('console.preview.budgetLine', {
        value: formatNumber(allocation.budget.value),
        unit: allocation.budget.unit,
        source: budgetSourceText(allocation.budget.source),
        amps: formatPhaseAmps(allocation.totalAmps),
      }),
    ),
    result.demand ? demandLine(result.demand) : null,
    dataTable({
      caption: t(result.policySource === 'body' ? 'console.preview.captionEdited' : 'console.preview.captionDesired'),
      testId: 'allocation-table',
      rows: allocation.connectors,
      columns: [
        {
          header: t('console.preview.connector'),
          cell: (a) =>
            a.ref === requested ? el('span', {}, a.ref, ' ', badge(t('console.preview.newCar'), 'ok')) : a.ref,
        },
        {
          header: t('console.preview.status'),
          cell: (a) => badge(t(`common.activity.${a.activity}`), ACTIVITY_TONE[a.activity]),
        },
        { header: t('console.preview.allocated'), cell: (a) => formatNumber(a.amps, 1), numeric: true },
        { header: 'L1 / L2 / L3', cell: amps, numeric: true },
        { header: t('console.preview.reason'), cell: (a) => reasonText(a.reason) },
        { header: t('console.preview.boundByHeader'), cell: (a) => (a.boundBy ? boundByText(a.boundBy) : '–') },
        { header: t('console.preview.vip'), cell: (a) => (a.vip ? t('common.yes') : t('common.no')) },
        { header: t('console.preview.priority'), cell: (a) => a.priority, numeric: true },
      ],
    }),
  );
}

/** The connectors of `site` with a session open in the last day (none when the sessions cannot be read). */
async function chargingNow(ctx: PageContext, site: Site): Promise<string[]> {
  const from = ctx.now() - OPEN_SESSION_WINDOW_MS;
  const path = `/sites/${encodeURIComponent(site.id)}/sessions?from=${from}&limit=100`;
  const sessions = await ctx.api.get(path, SessionListSchema).catch(() => ({ items: [] }));
  const refs = new Set(siteConnectorRefs(site));
  return [...new Set(sessions.items.filter((s) => s.stoppedAt === undefined).map((s) => s.connector))].filter((ref) =>
    refs.has(ref),
  );
}

export function allocationPreview(ctx: PageContext, site: Site, editedPolicy: () => Policy | null): HTMLElement {
  const refs = siteConnectorRefs(site);
  const choices = refs.map((ref) => ({ value: ref, label: ref }));
  const connector = selectField({ path: 'request.connector', label: t('console.preview.connectorForCar'), choices });
  const phases = selectField({
    path: 'request.carPhases',
    label: t('console.preview.carPhases'),
    choices: [
      { value: '3', label: t('console.preview.phases3') },
      { value: '2', label: t('console.preview.phases2') },
      { value: '1', label: t('console.preview.phases1') },
    ],
    numeric: true,
  });
  const idTag = textField({
    path: 'request.idTag',
    label: t('console.preview.idTag'),
    hint: t('console.preview.idTagHint'),
  });
  const charging = choiceGroupField({ path: 'connectors', label: t('console.preview.charging'), choices });
  // Ticked from the site's open sessions, so that the preview starts from the cars charging now, not an empty site.
  void chargingNow(ctx, site).then((refs) => charging.write(refs));
  const source = selectField({
    path: 'policySource',
    label: t('console.preview.policy'),
    choices: [
      { value: 'edited', label: t('console.preview.policyEdited') },
      { value: 'desired', label: t('console.preview.policySaved') },
    ],
  });
  const demand = demandPeriodFields();
  const result = el('div', {});
  const live = liveRegion('preview-status');

  const run = async () => {
    const requested = String(connector.read());
    const policy = source.read() === 'edited' ? editedPolicy() : undefined;
    if (policy === null) return live.say(t('console.preview.editorErrors'), 'error');
    const busy = (charging.read() as string[]).filter((ref) => ref !== requested);
    const tag = idTag.read();
    const period = demand.read();
    const body = {
      ...(policy ? { policy } : {}),
      ...(period ? { demand: period } : {}),
      request: { connector: requested, carPhases: phases.read(), ...(typeof tag === 'string' ? { idTag: tag } : {}) },
      connectors: busy.map((ref, i) => ({
        ref,
        status: 'Charging',
        session: { id: `preview-${i}`, startedAt: ctx.now() - 600_000 },
      })),
    };
    try {
      const { value } = await ctx.api.send(
        'POST',
        `/sites/${encodeURIComponent(site.id)}/policy/preview`,
        body,
        PreviewResultSchema,
      );
      replaceChildren(result, resultView(value, requested));
      live.say(
        t('console.preview.ready', {
          result: value.request
            ? t('console.preview.readyAmps', { amps: formatAmps(value.request.amps), ref: requested })
            : t('console.preview.readyNone'),
        }),
        'ok',
      );
    } catch (error) {
      live.say(
        error instanceof ApiError && error.details.length
          ? t('console.preview.refused', { details: error.details.map((d) => `${d.path}: ${d.message}`).join('; ') })
          : t('console.preview.failed', { error: describeError(error) }),
        'error',
      );
    }
  };

  return el(
    'form',
    { class: 'card', 'aria-labelledby': 'preview-heading', onsubmit: (e: Event) => (e.preventDefault(), void run()) },
    el('h2', { id: 'preview-heading' }, t('console.preview.heading')),
    el('div', { class: 'grid' }, connector.node, phases.node, idTag.node, source.node),
    charging.node,
    demand.node,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, t('console.preview.heading'))),
    live.node,
    result,
  );
}
