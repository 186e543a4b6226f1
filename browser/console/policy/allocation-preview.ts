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
import { badge } from '../../ui/badges';
import { budgetSourceText } from '../../ui/budget-source';
import { dataTable } from '../../ui/data-table';
import { el, replaceChildren } from '../../ui/element';
import { choiceGroupField, selectField, textField } from '../../ui/form-fields';
import { liveRegion } from '../../ui/live-region';

const ACTIVITY_TONE = { active: 'ok', paused: 'warn', idle: 'muted' } as const;
/** Sessions started this long ago or less are looked at for the cars charging now (a session open longer is not a car charging). */
const OPEN_SESSION_WINDOW_MS = 7 * 24 * 3600_000;

function resultView(result: PreviewResult, requested: string): HTMLElement {
  const { allocation, request } = result;
  const line = request
    ? `The new car on ${request.ref} would get ${request.amps.toFixed(1)} A per phase (${request.reason}${request.boundBy ? `, bound by ${request.boundBy}` : ''}).`
    : `No allocation for ${requested}.`;
  const amps = (a: ConnectorAllocationView) => a.phaseAmps.map((p) => p.toFixed(1)).join(' / ');
  return el(
    'div',
    { 'data-testid': 'preview-result' },
    el(
      'p',
      { class: 'preview-line' },
      el('strong', {}, line),
      ` Budget ${allocation.budget.value} ${allocation.budget.unit} (${budgetSourceText(allocation.budget.source)}); total ${allocation.totalAmps.map((a) => a.toFixed(1)).join(' / ')} A.`,
    ),
    dataTable({
      caption: `Allocation with the ${result.policySource === 'body' ? 'edited' : "site's desired"} policy`,
      testId: 'allocation-table',
      rows: allocation.connectors,
      columns: [
        {
          header: 'Connector',
          cell: (a) => (a.ref === requested ? el('span', {}, a.ref, ' ', badge('new car', 'ok')) : a.ref),
        },
        { header: 'Status', cell: (a) => badge(a.activity, ACTIVITY_TONE[a.activity]) },
        { header: 'Allocated A', cell: (a) => a.amps.toFixed(1), numeric: true },
        { header: 'L1 / L2 / L3', cell: amps, numeric: true },
        { header: 'Reason', cell: (a) => a.reason },
        { header: 'Bound by', cell: (a) => a.boundBy ?? '–' },
        { header: 'VIP', cell: (a) => (a.vip ? 'yes' : 'no') },
        { header: 'Priority', cell: (a) => a.priority, numeric: true },
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
  const connector = selectField({ path: 'request.connector', label: 'Connector for the new car', choices });
  const phases = selectField({
    path: 'request.carPhases',
    label: 'Car phases',
    choices: [
      { value: '3', label: '3 phases' },
      { value: '2', label: '2 phases' },
      { value: '1', label: '1 phase' },
    ],
    numeric: true,
  });
  const idTag = textField({
    path: 'request.idTag',
    label: 'Id tag (optional)',
    hint: 'A VIP or priority tag changes what the car gets.',
  });
  const charging = choiceGroupField({ path: 'connectors', label: 'Cars already charging', choices });
  // Ticked from the site's open sessions, so that the preview starts from the cars charging now, not an empty site.
  void chargingNow(ctx, site).then((refs) => charging.write(refs));
  const source = selectField({
    path: 'policySource',
    label: 'Policy',
    choices: [
      { value: 'edited', label: 'The policy in the editor' },
      { value: 'desired', label: "The site's saved policy" },
    ],
  });
  const result = el('div', {});
  const live = liveRegion('preview-status');

  const run = async () => {
    const requested = String(connector.read());
    const policy = source.read() === 'edited' ? editedPolicy() : undefined;
    if (policy === null)
      return live.say('The policy in the editor has errors: fix them or preview the saved policy.', 'error');
    const busy = (charging.read() as string[]).filter((ref) => ref !== requested);
    const tag = idTag.read();
    const body = {
      ...(policy ? { policy } : {}),
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
        `Preview ready: ${value.request ? `${value.request.amps.toFixed(1)} A for ${requested}` : 'no allocation'}.`,
        'ok',
      );
    } catch (error) {
      live.say(
        error instanceof ApiError && error.details.length
          ? `Preview refused: ${error.details.map((d) => `${d.path}: ${d.message}`).join('; ')}`
          : `Preview failed: ${describeError(error)}`,
        'error',
      );
    }
  };

  return el(
    'form',
    { class: 'card', 'aria-labelledby': 'preview-heading', onsubmit: (e: Event) => (e.preventDefault(), void run()) },
    el('h2', { id: 'preview-heading' }, 'Test request allocation'),
    el('div', { class: 'grid' }, connector.node, phases.node, idTag.node, source.node),
    charging.node,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Test request allocation')),
    live.node,
    result,
  );
}
