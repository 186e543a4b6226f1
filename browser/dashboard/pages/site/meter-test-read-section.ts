/**
 * The grid meter's settings (model, Modbus TCP or RTU, the circuit it measures) with a "test read": the agent reads the
 * meter once with what is entered, unsaved, and the page shows the live values or where and how the read failed. Saved,
 * the settings are a new site version, and the agent reads the meter with them from its next round, without a restart.
 * Settings the agent refuses are shown at their fields.
 */
import {
  MetersAnswerSchema,
  MeterTestReadAnswerSchema,
  type MetersAnswer,
  type MeterTestReadAnswer,
} from '../../../../shared/dashboard/meter-test-read-answer';
import { SiteInForceAnswerSchema, type SiteInForceAnswer } from '../../../../shared/dashboard/site-setup-answers';
import { dataTable } from '../../../ui/data-table';
import { el, replaceChildren } from '../../../ui/element';
import { numberField, selectField, textField } from '../../../ui/form-fields';
import { formatNumber } from '../../../ui/i18n/format';
import { t } from '../../../ui/i18n/i18n';
import { saidText } from '../../../ui/i18n/untranslated';
import { ApiError, describeError } from '../../../ui/json-api';
import { liveRegion } from '../../../ui/live-region';
import type { PageContext } from '../../page-context';
import { meterFormIssues, meterSaveRequest } from './meter-draft';
import { placedIssues } from './placed-issues';
import { refusal } from './site-save';

const BAUD_RATES = [1200, 2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200];

export function meterTestReadSection(
  ctx: PageContext,
  answer: SiteInForceAnswer,
  onSaved: (saved: SiteInForceAnswer) => void,
) {
  const holder = el('div', {}, t('dashboard.meter.loading'));
  const status = liveRegion('meter-test-read-status');
  void ctx.api.get('/site/meters', MetersAnswerSchema).then(
    (meters) => replaceChildren(holder, meterForm(ctx, answer, meters, status, onSaved)),
    (error: unknown) => {
      replaceChildren(holder);
      status.say(t('dashboard.meter.cannotRead', { error: describeError(error) }), 'error');
    },
  );
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'meter-heading', 'data-testid': 'meter-test-read' },
    el('h2', { id: 'meter-heading' }, t('dashboard.meter.heading')),
    el('p', { class: 'muted' }, t('dashboard.meter.intro')),
    holder,
    status.node,
  );
}

function meterForm(
  ctx: PageContext,
  answer: SiteInForceAnswer,
  meters: MetersAnswer,
  status: ReturnType<typeof liveRegion>,
  onSaved: (saved: SiteInForceAnswer) => void,
) {
  const root = answer.site.circuits.find((c) => c.parent === null);
  const inForce = answer.meters ?? [];
  const current = inForce.find((m) => m.meterId === root?.meterId) ?? inForce[0];
  const measured = answer.site.circuits.find((c) => c.meterId !== undefined && c.meterId === current?.meterId);
  const transport = selectField({
    path: 'meter.connection.transport',
    label: t('dashboard.meter.transport'),
    choices: [
      { value: 'tcp', label: t('dashboard.meter.tcp') },
      { value: 'rtu', label: t('dashboard.meter.rtu') },
    ],
  });
  const common = [
    textField({ path: 'meter.meterId', label: t('dashboard.meter.meterId') }),
    selectField({
      path: 'meter.model',
      label: t('dashboard.meter.model'),
      choices: meters.models.map((m) => ({ value: m, label: m })),
    }),
    selectField({
      path: 'meter.circuit',
      label: t('dashboard.meter.circuit'),
      choices: answer.site.circuits.map((c) => ({ value: c.id, label: c.name ?? c.id })),
    }),
    transport,
    numberField({ path: 'meter.connection.unitId', label: t('dashboard.meter.unitId'), min: 1, step: 1 }),
  ];
  const tcp = [
    textField({ path: 'meter.connection.host', label: t('dashboard.meter.host') }),
    numberField({ path: 'meter.connection.port', label: t('dashboard.meter.port'), min: 1, step: 1 }),
  ];
  const rtu = [
    textField({ path: 'meter.connection.path', label: t('dashboard.meter.device'), placeholder: '/dev/ttyUSB0' }),
    selectField({
      path: 'meter.connection.baudRate',
      label: t('dashboard.meter.baudRate'),
      numeric: true,
      choices: BAUD_RATES.map((b) => ({ value: String(b), label: String(b) })),
    }),
    selectField({
      path: 'meter.connection.parity',
      label: t('dashboard.meter.parity'),
      choices: (['none', 'even', 'odd'] as const).map((p) => ({ value: p, label: t(`dashboard.meter.parities.${p}`) })),
    }),
  ];
  const [meterId, model, circuit, , unitId] = common;
  const [host, port] = tcp;
  const [device, baudRate, parity] = rtu;
  meterId?.write(current?.meterId ?? root?.meterId ?? 'grid');
  model?.write(current?.model);
  circuit?.write((measured ?? root)?.id);
  transport.write(current?.connection.transport ?? 'tcp');
  unitId?.write(current?.connection.unitId ?? 1);
  if (current?.connection.transport === 'rtu') {
    device?.write(current.connection.path);
    baudRate?.write(current.connection.baudRate);
    parity?.write(current.connection.parity);
  } else {
    host?.write(current?.connection.host);
    port?.write(current?.connection.port ?? 502);
    baudRate?.write(9600);
  }
  const showTransport = () => {
    const isTcp = transport.read() === 'tcp';
    for (const f of tcp) f.node.hidden = !isTcp;
    for (const f of rtu) f.node.hidden = isTcp;
  };
  transport.control.addEventListener('change', showTransport);
  showTransport();

  const result = el('div', { 'data-testid': 'meter-test-read-result' });
  const summary = placedIssues('meter-errors');
  const targets = [...common, ...tcp, ...rtu];
  const button = el('button', { type: 'submit', class: 'primary' }, t('dashboard.meter.testRead'));
  const saveButton = el('button', { type: 'button', onclick: () => void save() }, t('dashboard.meter.save'));
  const connection = () =>
    transport.read() === 'tcp'
      ? { transport: 'tcp', host: host?.read(), port: port?.read(), unitId: unitId?.read() }
      : {
          transport: 'rtu',
          path: device?.read(),
          baudRate: baudRate?.read(),
          parity: parity?.read(),
          unitId: unitId?.read(),
        };
  const request = () => ({ meter: { meterId: meterId?.read(), model: model?.read(), connection: connection() } });
  const save = async () => {
    saveButton.disabled = true;
    summary.show(targets, [], false);
    const draft = meterSaveRequest(answer, {
      meterId: meterId?.read(),
      model: model?.read(),
      connection: connection(),
      circuit: circuit?.read(),
    });
    try {
      const body = { baseVersion: answer.version, site: draft.site, meters: draft.meters };
      const saved = await ctx.api.send('PUT', '/site', body, SiteInForceAnswerSchema);
      status.say(t('dashboard.site.saved', { version: String(saved.version) }), 'ok');
      onSaved(saved);
    } catch (error) {
      status.say(refusal(error), 'error');
      if (error instanceof ApiError && error.status === 400)
        summary.show(targets, meterFormIssues(error.details, draft));
    } finally {
      saveButton.disabled = false;
    }
  };
  const submit = async () => {
    button.disabled = true;
    summary.show(targets, [], false);
    replaceChildren(result);
    status.say(t('dashboard.meter.reading'));
    try {
      const read = await ctx.api.send('POST', '/site/meters/test-read', request(), MeterTestReadAnswerSchema);
      replaceChildren(result, readView(read));
      status.say(read.ok ? t('dashboard.meter.readOk') : t('dashboard.meter.readFailed'), read.ok ? 'ok' : 'error');
    } catch (error) {
      // 400: settings refused; 409: a serial port in use with other settings, at the settings that differ.
      summary.show(targets, error instanceof ApiError && [400, 409].includes(error.status) ? error.details : []);
      status.say(t('dashboard.meter.cannotTest', { error: describeError(error) }), 'error');
    } finally {
      button.disabled = false;
    }
  };
  return el(
    'form',
    {
      'aria-label': t('dashboard.meter.heading'),
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void submit()),
    },
    summary.node,
    ...targets.map((f) => f.node),
    el('div', { class: 'actions' }, button, saveButton),
    result,
  );
}

function readView(read: MeterTestReadAnswer): HTMLElement {
  if (!read.ok)
    return el(
      'p',
      { class: 'field-error', 'data-testid': 'meter-fault' },
      t('dashboard.meter.fault', {
        stage: t(`dashboard.meter.stages.${read.stage}`),
        kind: t(`dashboard.meter.kinds.${read.kind}`),
      }),
      ' ',
      el('span', { lang: 'en' }, read.message),
    );
  const { values } = read;
  const phases = [0, 1, 2] as const;
  return el(
    'div',
    {},
    dataTable({
      caption: t('dashboard.meter.valuesCaption'),
      testId: 'meter-values',
      rows: phases.map((i) => ({
        phase: `L${i + 1}`,
        volts: values.volts[i],
        amps: values.amps[i],
        watts: values.watts[i],
      })),
      columns: [
        { header: t('dashboard.meter.phase'), cell: (r) => r.phase },
        { header: t('dashboard.meter.volts'), cell: (r) => formatNumber(r.volts, 1), numeric: true },
        { header: t('dashboard.meter.amps'), cell: (r) => formatNumber(r.amps, 2), numeric: true },
        { header: t('dashboard.meter.watts'), cell: (r) => formatNumber(r.watts, 0), numeric: true },
      ],
    }),
    el(
      'p',
      { 'data-testid': 'meter-totals' },
      t('dashboard.meter.totals', {
        kw: formatNumber(values.totalWatts / 1000, 2),
        kwh: formatNumber(values.importWh / 1000, 1),
      }),
    ),
    read.implausible === undefined
      ? null
      : el('p', { class: 'field-error' }, t('dashboard.meter.implausible'), ' ', saidText(read.implausible)),
  );
}
