/** A small fleet for the console tests: sites through the API; what the edge would report, through the repositories. */
import { expect } from 'vitest';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import type { SiteInput } from '../../../../shared/site/site-schema';
import { siteEvent } from '../../../../cloud/ingest/site-message-records';
import type { SiteEvent } from '../../../../cloud/ports/event-repository';
import { electedEventBody } from '../../../../edge/cluster/takeover-report';
import { lockoutEventBody } from '../../../../edge/security/lockout-report';
import { chargerEventBodies, controlEventBodies } from '../../../support/agent-event-bodies';
import type { ConsoleStack } from './console-stack';

export function siteInput(id: string, name: string): SiteInput {
  return {
    $schemaVersion: 1,
    id,
    name,
    circuits: [{ id: 'main', parent: null, fuseAmps: 63 }],
    chargers: [
      { id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32, vendor: 'Webasto', model: 'TurboConnect' },
      { id: 'CP-2', circuit: 'main', phases: 3, maxAmps: 32, vendor: 'Webasto', model: 'TurboConnect' },
    ],
  };
}

export const policyInput = (budgetMaxAmps: number): PolicyInput => ({
  $schemaVersion: 1,
  budget: { unit: 'A', min: 0, max: budgetMaxAmps },
});

async function putPolicy(stack: ConsoleStack, siteId: string, version: number, budgetMaxAmps: number): Promise<void> {
  const response = await stack.api(`/sites/${siteId}/policy`, {
    method: 'PUT',
    headers: { 'If-Match': `"${version - 1}"` },
    body: policyInput(budgetMaxAmps),
  });
  expect(response.status).toBe(200);
}

/**
 * depot-1 (online, desired v2, applied v1, an hour of telemetry, a charging session, a critical fault on CP-2 and
 * other events as an agent sends them),
 * depot-2 (offline, v1 applied), depot-3 (no policy yet).
 */
export async function seedFleet(stack: ConsoleStack, now: number): Promise<void> {
  const { tenantId } = stack;
  const { repositories } = stack.local;
  for (const [id, name] of [
    ['depot-1', 'Depot North'],
    ['depot-2', 'Depot South'],
    ['depot-3', 'Office Garage'],
  ] as const) {
    expect((await stack.api('/sites', { method: 'POST', body: siteInput(id, name) })).status).toBe(201);
  }
  await putPolicy(stack, 'depot-1', 1, 40);
  await putPolicy(stack, 'depot-1', 2, 48);
  await putPolicy(stack, 'depot-2', 1, 32);
  await repositories.policies.putApplied({
    tenantId,
    siteId: 'depot-1',
    version: 1,
    status: 'applied',
    reportedAt: now - 60_000,
  });
  await repositories.policies.putApplied({
    tenantId,
    siteId: 'depot-2',
    version: 1,
    status: 'applied',
    reportedAt: now - 60_000,
  });
  await repositories.sites.setConnectivity(tenantId, 'depot-1', { state: 'online', since: now - 3600_000 });
  await repositories.sites.setConnectivity(tenantId, 'depot-2', { state: 'offline', since: now - 600_000 });

  // One sample every 30 s over the last hour: building load swings, the chargers follow the budget.
  const samples = Array.from({ length: 120 }, (_, i) => {
    const building = 20 + 10 * Math.sin(i / 10);
    const ev = 24 + 8 * Math.cos(i / 15);
    return {
      tenantId,
      siteId: 'depot-1',
      at: now - 3600_000 + i * 30_000,
      messageId: `t${i}`,
      gridAmps: [building + ev, building + ev - 2, building + ev - 4] as const,
      allocatedAmps: [ev, ev, ev] as const,
      activeConnectors: 2,
    };
  });
  await repositories.telemetry.put(samples);
  await repositories.sessions.put({
    tenantId,
    siteId: 'depot-1',
    sessionId: 's-open',
    connector: 'CP-1/1',
    idTag: 'FLEET-07',
    startedAt: now - 1800_000,
    energyWh: 5400,
  });
  await repositories.sessions.put({
    tenantId,
    siteId: 'depot-1',
    sessionId: 's-done',
    connector: 'CP-2/1',
    startedAt: now - 5400_000,
    stoppedAt: now - 2400_000,
    energyWh: 12_300,
  });
  await repositories.events.put(agentEvents(tenantId, now));
}

/**
 * depot-1's events as an agent sends them (its own builders, with their reasons) and the cloud ingest stores them:
 * the newest alert a critical fault on CP-2, then a cluster takeover and a sign-in lockout (warnings), and info events.
 */
function agentEvents(tenantId: string, now: number): SiteEvent[] {
  const charger = chargerEventBodies([
    {
      type: 'status',
      chargerId: 'CP-2',
      at: now,
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      info: undefined,
      vendorErrorCode: undefined,
    },
    {
      type: 'booted',
      chargerId: 'CP-1',
      at: now,
      registration: 'Accepted',
      triggered: false,
      vendor: 'Webasto',
      model: 'TurboConnect',
      serialNumber: undefined,
      firmwareVersion: '3.1.4',
    },
    { type: 'connected', chargerId: 'CP-1', at: now, remoteAddress: '10.0.0.7' },
  ]);
  const [meterBack] = controlEventBodies([
    { type: 'meterRecovered', at: now, meterId: 'grid-meter', circuitId: 'main' },
  ]);
  const lockout = lockoutEventBody({
    at: now,
    boundary: 'dashboard',
    kind: 'identity',
    key: 'admin',
    failures: 5,
    lockedForMs: 60_000,
  });
  const bodies = [...charger, meterBack, electedEventBody('gw-b', '7'), lockout];
  const ages = [900_000, 1_500_000, 1_600_000, 1_200_000, 1_800_000, 2_000_000];
  return bodies.map((body, i) =>
    siteEvent(tenantId, {
      messageId: `seed-event-${i}`,
      siteId: 'depot-1',
      stream: 'events',
      at: now - (ages[i] ?? 0),
      body: body!,
    }),
  );
}
