/**
 * Chargers that dialled in with an identity the site does not list (identity, vendor, model, firmware, address, when),
 * and the form that adopts one into a circuit, prefilled from what the charger reports (its connectors and rotation).
 */
import {
  SiteInForceAnswerSchema,
  UnknownChargerAnswerSchema,
  UnknownChargersAnswerSchema,
  type SiteInForceAnswer,
  type UnknownChargerView,
} from '../../../../shared/dashboard/site-setup-answers';
import { PHASE_ROTATIONS } from '../../../../shared/units';
import { dataTable } from '../../../ui/data-table';
import { el, replaceChildren } from '../../../ui/element';
import { numberField, passwordField, selectField } from '../../../ui/form-fields';
import { formatTime } from '../../../ui/i18n/format';
import { t } from '../../../ui/i18n/i18n';
import { ApiError, describeError } from '../../../ui/json-api';
import { liveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';
import { placedIssues } from './placed-issues';
import { refusal } from './site-save';

export function adoptionSection(
  ctx: PageContext,
  answer: SiteInForceAnswer,
  onSaved: (saved: SiteInForceAnswer) => void,
) {
  const list = el('div', {}, t('dashboard.adoption.loading'));
  const formSlot = el('div', {});
  const status = liveRegion('adoption-status');

  const adoptForm = async (candidate: UnknownChargerView) => {
    const path = `/site/unknown-chargers/${encodeURIComponent(candidate.identity)}`;
    const detail = await ctx.api.get(path, UnknownChargerAnswerSchema).catch(() => null);
    const circuits = answer.site.circuits.map((c) => ({ value: c.id, label: c.id }));
    const fields = {
      circuit: selectField({ path: 'circuit', label: t('dashboard.adoption.circuit'), choices: circuits }),
      phases: selectField({
        path: 'phases',
        label: t('dashboard.adoption.phases'),
        numeric: true,
        choices: [
          { value: '3', label: '3' },
          { value: '1', label: '1' },
        ],
      }),
      phaseRotation: selectField({
        path: 'phaseRotation',
        label: t('dashboard.adoption.rotation'),
        choices: PHASE_ROTATIONS.map((r) => ({ value: r, label: r })),
      }),
      maxAmps: numberField({ path: 'maxAmps', label: t('dashboard.adoption.maxAmps'), min: 0 }),
      connectors: numberField({ path: 'connectors', label: t('dashboard.adoption.connectors'), min: 1, step: 1 }),
      password: passwordField({
        path: 'password',
        label: t('dashboard.adoption.password'),
        hint: t('dashboard.adoption.passwordHint'),
        autocomplete: 'new-password',
      }),
    };
    fields.phaseRotation.write(detail?.suggestion.phaseRotation ?? 'L1L2L3');
    fields.connectors.write(detail?.suggestion.connectors ?? 1);
    fields.maxAmps.write(16);
    const targets = Object.values(fields);
    const summary = placedIssues('adopt-errors');
    const submit = async () => {
      const password = fields.password.read() as string;
      const request = {
        baseVersion: answer.version,
        circuit: fields.circuit.read(),
        phases: fields.phases.read(),
        phaseRotation: fields.phaseRotation.read(),
        maxAmps: fields.maxAmps.read(),
        connectors: fields.connectors.read(),
        ...(password !== '' && { password }),
      };
      try {
        const saved = await ctx.api.send('POST', `${path}/adopt`, request, SiteInForceAnswerSchema);
        status.say(t('dashboard.adoption.adopted', { id: candidate.identity, version: String(saved.version) }), 'ok');
        onSaved(saved);
      } catch (error) {
        const issues = error instanceof ApiError && error.status === 400 ? error.details : [];
        summary.show(targets, issues);
        status.say(refusal(error), 'error');
      }
    };
    replaceChildren(
      formSlot,
      el(
        'form',
        {
          class: 'card',
          'aria-label': t('dashboard.adoption.formLabel', { id: candidate.identity }),
          'data-testid': 'adopt-form',
          novalidate: true,
          onsubmit: (e: Event) => (e.preventDefault(), void submit()),
        },
        el('h3', {}, t('dashboard.adoption.formLabel', { id: candidate.identity })),
        detail ? null : el('p', { class: 'muted' }, t('dashboard.adoption.noReport')),
        summary.node,
        ...targets.map((f) => f.node),
        el(
          'div',
          { class: 'actions' },
          el('button', { type: 'submit', class: 'primary' }, t('dashboard.adoption.adopt')),
        ),
      ),
    );
    fields.circuit.control.focus();
  };

  const show = (chargers: readonly UnknownChargerView[]) =>
    replaceChildren(
      list,
      dataTable({
        caption: t('dashboard.adoption.caption'),
        testId: 'unknown-chargers',
        rows: chargers,
        empty: t('dashboard.adoption.none'),
        columns: [
          { header: t('dashboard.adoption.identity'), cell: (c) => c.identity },
          { header: t('dashboard.adoption.vendor'), cell: (c) => c.vendor ?? '–' },
          { header: t('dashboard.adoption.model'), cell: (c) => c.model ?? '–' },
          { header: t('dashboard.adoption.firmware'), cell: (c) => c.firmware ?? '–' },
          { header: t('dashboard.adoption.address'), cell: (c) => c.remoteAddress ?? '–' },
          { header: t('dashboard.adoption.lastAt'), cell: (c) => formatTime(c.lastAt) },
          {
            header: t('dashboard.adoption.state'),
            cell: (c) =>
              c.connected
                ? t('dashboard.adoption.waiting')
                : c.held
                  ? t('dashboard.adoption.gone')
                  : t('dashboard.adoption.refused'),
          },
          {
            header: t('dashboard.adoption.action'),
            cell: (c) =>
              el(
                'button',
                { type: 'button', onclick: () => void adoptForm(c) },
                t('dashboard.adoption.adoptOne', { id: c.identity }),
              ),
          },
        ],
      }),
    );
  const load = () =>
    ctx.api.get('/site/unknown-chargers', UnknownChargersAnswerSchema).then(
      (a) => show(a.chargers),
      (error: unknown) => status.say(t('dashboard.adoption.cannotRead', { error: describeError(error) }), 'error'),
    );
  void load();
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'adoption-heading' },
    el('h2', { id: 'adoption-heading' }, t('dashboard.adoption.heading')),
    el('p', { class: 'muted' }, t('dashboard.adoption.intro')),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', onclick: () => void load() }, t('dashboard.adoption.refresh')),
    ),
    list,
    formSlot,
    status.node,
  );
}
