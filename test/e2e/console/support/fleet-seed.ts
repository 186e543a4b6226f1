/** A small fleet for the console tests: sites through the API; what the edge would report, through the repositories. */
import { expect } from 'vitest';
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import type { SiteInput } from '../../../../shared/site/site-schema';
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
 * depot-1 (online, desired v2, applied v1, an hour of telemetry, a charging session, a critical fault on CP-2),
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
  await repositories.events.put([
    {
      tenantId,
      siteId: 'depot-1',
      eventId: 'e1',
      at: now - 900_000,
      type: 'charger.faulted',
      severity: 'error',
      message: 'CP-2 reports GroundFailure',
      data: { chargerId: 'CP-2' },
    },
    {
      tenantId,
      siteId: 'depot-1',
      eventId: 'e2',
      at: now - 1200_000,
      type: 'meter.recovered',
      severity: 'info',
      message: 'Grid meter readings are back',
    },
  ]);
}
