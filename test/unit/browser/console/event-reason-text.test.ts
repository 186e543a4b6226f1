/**
 * Issue 16: the site events an agent sends carry a stable reason and its parameters beside the English message, so
 * the fleet console says them in the page's language. Before, an event had the English message only, and the console
 * showed it marked English on a German page. Every kind's reasons have a text in both catalogues; the events the
 * agent's builders make are valid for the cloud, say in English what their message says, and have a German text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startI18n } from '../../../../browser/ui/i18n/i18n';
import { CATALOGUES } from '../../../../browser/ui/i18n/messages/catalogue';
import { translatedText } from '../../../../browser/ui/i18n/server-text';
import { electedEventBody, fencedEventBody, majorityEventBody } from '../../../../edge/cluster/takeover-report';
import { siteChangeEventBody } from '../../../../edge/dashboard/actions/site-change-report';
import { MeterConfigSchema } from '../../../../edge/meter/meter-config';
import type { ControlEvent } from '../../../../edge/control/control-events';
import type { ChargerEvent } from '../../../../edge/ocpp/charger-events';
import { lockoutEventBody } from '../../../../edge/security/lockout-report';
import type { SiteVersionInForce } from '../../../../edge/store/site-version-store';
import { UpstreamLinkReport } from '../../../../edge/upstream/upstream-link-report';
import { SiteSchema, type SiteInput } from '../../../../shared/site/site-schema';
import {
  EVENT_KINDS,
  EVENT_REASONS,
  MAX_EVENT_PARAMS_CHARS,
  type EventKind,
} from '../../../../shared/sync/event-reasons';
import { EventBodySchema, type EventBody } from '../../../../shared/sync/sync-messages';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { chargerEventBodies, collectingOutbox, controlEventBodies } from '../../../support/agent-event-bodies';

/** The catalogue's text at `errors.server.<reason>`, or undefined. */
function catalogueText(language: 'en' | 'de', reason: string): string | undefined {
  let node: unknown = CATALOGUES[language].errors.server;
  for (const part of reason.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : undefined;
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const site = (input: Omit<SiteInput, '$schemaVersion' | 'id'>) =>
  SiteSchema.parse({ $schemaVersion: 1, id: 's', ...input });
const meter = (meterId: string, host: string) =>
  MeterConfigSchema.parse({ meterId, model: 'eastron-sdm630', connection: { transport: 'tcp', host } });

/** A site version that adds, removes and changes a charger, a circuit and a meter each: nine changes. */
function siteChangeOfNine(): EventBody {
  const previous: SiteVersionInForce = {
    version: 3,
    author: 'admin',
    source: 'edit',
    savedAt: 1,
    site: site({
      circuits: [
        { id: 'grid', parent: null, fuseAmps: 63 },
        { id: 'old', parent: 'grid', fuseAmps: 32 },
      ],
      chargers: [
        { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 },
        { id: 'CP-OLD', circuit: 'grid', phases: 3, maxAmps: 32 },
      ],
    }),
    meters: [meter('m-a', '10.0.0.1'), meter('m-old', '10.0.0.2')],
  };
  const version: SiteVersionInForce = {
    ...previous,
    version: 4,
    site: site({
      circuits: [
        { id: 'grid', parent: null, fuseAmps: 80 },
        { id: 'new', parent: 'grid', fuseAmps: 32 },
      ],
      chargers: [
        { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 16 },
        { id: 'CP-NEW', circuit: 'new', phases: 3, maxAmps: 32 },
      ],
    }),
    meters: [meter('m-a', '10.0.0.9'), meter('m-new', '10.0.0.3')],
  };
  return siteChangeEventBody(version, previous);
}

/** What the agent's builders send to the cloud, one or more of each kind they make. */
function builtEvents(): EventBody[] {
  const clock = new ManualClock();
  const at = clock.now();
  const status = (status: string, errorCode: string, info?: string): ChargerEvent =>
    ({
      type: 'status',
      chargerId: 'CP-2',
      at,
      connectorId: 1,
      status,
      errorCode,
      info,
      vendorErrorCode: undefined,
    }) as ChargerEvent;
  const charger = chargerEventBodies([
    { type: 'connected', chargerId: 'CP-2', at, remoteAddress: '10.0.0.7' },
    { type: 'connected', chargerId: 'CP-2', at, remoteAddress: undefined },
    { type: 'booted', chargerId: 'CP-2', at, registration: 'Accepted', vendor: 'ABB', model: 'Terra AC' },
    {
      type: 'booted',
      chargerId: 'CP-2',
      at,
      registration: 'Pending',
      vendor: 'ABB',
      model: 'Terra AC',
      firmwareVersion: '1.2',
    },
    status('Faulted', 'GroundFailure'),
    status('Faulted', 'GroundFailure', 'RCD tripped'),
    status('Available', 'NoError'),
    { type: 'disconnected', chargerId: 'CP-2', at, code: 1006, reason: '' },
    { type: 'disconnected', chargerId: 'CP-2', at, code: 1000, reason: 'reboot' },
    { type: 'disconnected', chargerId: 'CP-2', at, code: undefined, reason: 'reboot' },
    { type: 'disconnected', chargerId: 'CP-2', at, code: undefined, reason: '' },
    { type: 'disconnected', chargerId: 'CP-2', at, code: 4001, reason: 'the site changed: connect again' },
    {
      type: 'disconnected',
      chargerId: 'CP-2',
      at,
      code: undefined,
      reason: 'this node is no longer the cluster master',
    },
  ] as ChargerEvent[]);
  const control = controlEventBodies([
    { type: 'meterLost', at, meterId: 'grid-meter', circuitId: 'grid', reason: { reason: 'meterFault.noReading' } },
    { type: 'meterRecovered', at, meterId: 'grid-meter', circuitId: 'grid' },
    { type: 'chargerUnresponsive', at, chargerId: 'CP-2' },
    { type: 'connectorAdopted', at, ref: 'CP-2/2', cause: 'status' },
    {
      type: 'connectorRefused',
      at,
      ref: 'CP-2/0',
      reason: { reason: 'event.adoptionRefused.notConnectorId', params: { connectorId: 0 } },
      transactionId: undefined,
    },
    { type: 'storagePaused', at, reason: 'SQLITE_FULL' },
    { type: 'storagePaused', at, reason: 'EROFS: read-only file system, write' },
    { type: 'storageRecovered', at, pausedAt: at, writes: 12 },
    {
      type: 'profileFailed',
      at,
      chargerId: 'CP-2',
      connectorId: 1,
      amps: 16,
      outcome: 'rejected',
      failures: 1,
      retryInMs: 5000,
    },
  ] as ControlEvent[]);
  const outbox = collectingOutbox();
  const upstream = new UpstreamLinkReport(
    { log: quiet, addEvent: () => undefined, outbox, backlogMessages: () => 3 },
    { now: () => clock.now(), after: (ms, fn) => clock.after(ms, fn) },
  );
  upstream.onLinkChange({ chargerId: 'CP-1', change: 'lost', at });
  upstream.onLinkChange({ chargerId: 'CP-2', change: 'recovered', at });
  upstream.onThinned('CP-1');
  upstream.onUnwritten('CP-2');
  upstream.flush();
  const lockout = {
    at,
    boundary: 'dashboard',
    kind: 'identity',
    key: 'admin',
    failures: 5,
    lockedForMs: 60_000,
  } as const;
  return [
    ...charger,
    ...control,
    ...outbox.bodies,
    electedEventBody('gw-b', '42'),
    fencedEventBody('gw-b', '42', 'no keepalive was confirmed in time'),
    majorityEventBody('gw-a', true, { countedChargers: 3, siteChargers: 4 }),
    majorityEventBody('gw-a', false, { countedChargers: 1, siteChargers: 4 }),
    lockoutEventBody(lockout),
    lockoutEventBody({ ...lockout, boundary: 'ocpp', kind: 'address', key: '192.0.2.7', lockedForMs: 600_000 }),
    siteChangeOfNine(),
  ];
}

describe("site events' reasons and their text", () => {
  afterEach(() => startI18n('en'));

  it.each(EVENT_KINDS)('should say %s with reasons that both catalogues have', (kind: EventKind) => {
    // Arrange
    const reasons: readonly string[] = EVENT_REASONS[kind];

    // Act
    const missing = reasons.flatMap((reason) =>
      (['en', 'de'] as const)
        .filter((language) => catalogueText(language, reason) === undefined)
        .map((l) => `${l}:${reason}`),
    );

    // Assert
    expect(reasons.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('should build every event with a reason of its kind, valid for the cloud, its English text its message', () => {
    // Arrange
    startI18n('en');

    // Act
    const bodies = builtEvents();

    // Assert: every kind the builders make is there (the policy's are the shadow sync's, policy-shadow-sync.test.ts;
    // no agent sends a charger's status or its start), each body passes the ingest's schema and says its message
    const elsewhere = ['policy.applied', 'policy.rejected', 'charger.status', 'agent.started'];
    expect(new Set(bodies.map((b) => b.kind))).toEqual(new Set(EVENT_KINDS.filter((k) => !elsewhere.includes(k))));
    for (const body of bodies) {
      expect(EventBodySchema.safeParse(body).error, body.message).toBeUndefined();
      expect(body.reason, body.kind).toBeDefined();
      expect(translatedText(body), body.kind).toBe(body.message);
    }
  });

  it('should say every event the agent builds in German, none of it its English message', () => {
    // Arrange
    const bodies = builtEvents();
    startI18n('de');

    // Act
    const german = bodies.map((body) => [body.message, translatedText(body)]);

    // Assert
    expect(german.filter(([, text]) => text === undefined)).toEqual([]);
    expect(german.filter(([english, text]) => english === text)).toEqual([]);
    expect(german.find(([english]) => english?.startsWith('charger CP-2 disconnected (code 1006'))?.[1]).toBe(
      'Ladepunkt CP-2 getrennt (Code 1006)',
    );
  });

  it("should say a paused disk's cause and the agent's close reasons in German, not in their English words", () => {
    // Arrange
    const bodies = builtEvents().filter((b) => b.kind === 'storage.full' || b.kind === 'charger.disconnected');
    startI18n('de');

    // Act
    const german = bodies.map((body) => translatedText(body) ?? '');

    // Assert: before, the cause and the close reason came as the English words, inside the German sentence
    expect(german).toEqual(
      expect.arrayContaining([
        expect.stringContaining('(der Datenträger ist voll)'),
        expect.stringContaining('(der Datenträger oder die Datenbank ist schreibgeschützt)'),
        'Ladepunkt CP-2 getrennt (Code 4001, der Standort wurde geändert: neu verbinden)',
        'Ladepunkt CP-2 getrennt (dieser Knoten ist nicht mehr der Master des Clusters)',
        'Ladepunkt CP-2 getrennt (Code 1000, reboot)',
      ]),
    );
    expect(german.filter((text) => /SQLITE|EROFS|site changed|cluster master/.test(text))).toEqual([]);
  });

  it('should not call a read-only disk full, in English or in German', () => {
    // Arrange: the headline said "storage full" whatever the cause
    const readOnly = builtEvents().find((b) => b.kind === 'storage.full' && b.message.includes('read-only'));

    // Act
    startI18n('de');
    const german = readOnly === undefined ? undefined : translatedText(readOnly);

    // Assert
    expect(readOnly?.message).toMatch(/^storage unavailable: history paused \(the disk or the database is read-only\)/);
    expect(german).toMatch(
      /^Speicher nicht verfügbar: Verlauf angehalten \(der Datenträger oder die Datenbank ist schreibgeschützt\)/,
    );
  });

  it('should keep a site change of nine counts (before, a list parameter took eight and the event was refused)', () => {
    // Act
    const result = EventBodySchema.safeParse(siteChangeOfNine());

    // Assert
    expect(result.error).toBeUndefined();
  });

  it.each([
    [
      'a reason of another kind',
      'reason',
      { kind: 'meter.lost', reason: 'siteEvent.meterRecovered', params: { meter: 'm' } },
    ],
    ['a reason no kind has', 'reason', { kind: 'meter.lost', reason: 'event.connected' }],
    ['parameters without a reason', 'params', { kind: 'meter.lost', params: { meter: 'm' } }],
    [
      'parameters larger than the bound',
      'params',
      {
        kind: 'connector.refused',
        reason: 'siteEvent.connectorRefused',
        // Each string within its own bound (500), together over the whole's
        params: Object.fromEntries(
          Array.from({ length: MAX_EVENT_PARAMS_CHARS / 400 + 1 }, (_, i) => [`p${i}`, 'x'.repeat(400)]),
        ),
      },
    ],
    [
      'parameters nested too deep',
      'params',
      {
        kind: 'site.changed',
        reason: 'event.siteChanged',
        params: {
          a: { ref: 'x', params: { b: { ref: 'x', params: { c: { ref: 'x', params: { d: { ref: 'x' } } } } } } },
        },
      },
    ],
  ])('should refuse an event with %s', (_name, field, said) => {
    // Act
    const result = EventBodySchema.safeParse({ severity: 'warning', message: 'm', ...said });

    // Assert
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual([field]);
  });

  it("should take an older agent's event, which has no reason", () => {
    // Act
    const result = EventBodySchema.safeParse({ kind: 'agent.started', severity: 'info', message: 'up' });

    // Assert
    expect(result.success).toBe(true);
  });
});
