/**
 * Time from a policy write in the API (PUT /sites/:id/policy) to the new limits accepted at the chargers, on the local
 * stack: DynamoDB Local, the aedes broker with the shadow service and rules bridge, the API over HTTP, the whole
 * edge agent synced over MQTT, and 10 virtual OCPP chargers charging. Writes alternate two budgets so that every
 * write changes every charger's limit; intermediate marks: the PUT answered, the agent's first allocation on the new
 * budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startLocalCloud, type LocalCloud } from '../cloud/local/start-local-cloud';
import { parseEdgeConfig } from '../edge/config/load-config';
import type { ControlEvent } from '../edge/control/control-events';
import { startAgent } from '../edge/main';
import type { PolicyInput } from '../shared/policy/policy-schema';
import { realClock } from '../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../sim/charger/virtual-charger';
import { percentile, printTable } from './measure';

const CHARGERS = 10;
const WRITES = 15;
/** Budgets (A per phase) the writes alternate between: 10 A and 16 A per car. */
const BUDGETS = [CHARGERS * 10, CHARGERS * 16] as const;
const BOUND_MS = 30_000;

/** Follows the agent's control events: the budget in force and each charger's last accepted limit, with when they changed. */
class ControlWatch {
  budget = { value: Number.NaN, at: 0 };
  readonly accepted = new Map<string, { amps: number; at: number }>();
  private waiter: { check: () => boolean; done: () => void } | undefined;

  onControlEvent(event: ControlEvent): void {
    const at = performance.now();
    if (event.type === 'allocation' && event.allocation.budget.value !== this.budget.value)
      this.budget = { value: event.allocation.budget.value, at };
    // A renewal of the same limit is not a change.
    else if (event.type === 'profileAccepted' && this.accepted.get(event.chargerId)?.amps !== event.amps)
      this.accepted.set(event.chargerId, { amps: event.amps, at });
    else return;
    if (this.waiter?.check()) this.waiter.done();
  }

  /** Resolves once `check` holds (now, or after a later control event); rejects after BOUND_MS. */
  until(what: string, check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${BOUND_MS} ms`)), BOUND_MS);
      this.waiter = { check, done: () => (clearTimeout(timer), (this.waiter = undefined), resolve()) };
    });
  }
}

async function call(
  cloud: LocalCloud,
  route: string,
  init: { method?: string; body?: unknown; ifMatch?: string } = {},
): Promise<Response> {
  const response = await fetch(`${cloud.apiUrl}${route}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${cloud.demo.token}`,
      'Content-Type': 'application/json',
      ...(init.ifMatch !== undefined && { 'If-Match': init.ifMatch }),
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${route}: ${response.status} ${await response.text()}`);
  return response;
}

const policy = (budgetAmps: number): PolicyInput => ({
  $schemaVersion: 1,
  budget: { unit: 'A', min: 6, max: budgetAmps },
  hysteresis: { stepAmps: 1, minPauseSeconds: 0, minActiveSeconds: 0 },
});

/** Median and p99 of each mark over WRITES policy writes. */
async function policyPushTimes(): Promise<string[][]> {
  const cloud = await startLocalCloud();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-push-'));
  const chargers: VirtualCharger[] = [];
  const siteId = cloud.demo.siteId;
  try {
    const { registration, credentials } = (await (
      await call(cloud, `/sites/${siteId}/gateways`, { method: 'POST' })
    ).json()) as { registration: { thingName: string }; credentials: { username: string; password: string } };
    const ids = Array.from({ length: CHARGERS }, (_, k) => `CP-${k + 1}`);
    const config = parseEdgeConfig(
      {
        $schemaVersion: 1,
        site: {
          $schemaVersion: 1,
          id: siteId,
          circuits: [{ id: 'main', parent: null, fuseAmps: 400 }],
          chargers: ids.map((id) => ({ id, circuit: 'main', phases: 3, maxAmps: 32 })),
        },
        policy: policy(BUDGETS[1]),
        ocpp: { host: '127.0.0.1', port: 0, basicAuth: false, commandTimeoutMs: 5_000 },
        idTags: { acceptAny: true, accepted: [] },
        sync: {
          broker: { kind: 'local', url: cloud.mqttUrl, username: credentials.username, password: credentials.password },
          thingName: registration.thingName,
          siteId,
          reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
        },
        dataDir,
        logging: { level: 'silent' },
      },
      dataDir,
    );
    const watch = new ControlWatch();
    const agent = await startAgent(config, { logger: pino({ level: 'silent' }), observer: watch });
    try {
      for (const id of ids)
        chargers.push(new VirtualCharger({ ...DEFAULT_CHARGER, id, rampDelayMs: 200 }, agent.ocppUrl, realClock));
      await Promise.all(
        chargers.map(async (c) => (await c.connect(), await c.plugIn(DEFAULT_CAR), await c.authorizeAndStart('TAG'))),
      );
      const marks = { put: [] as number[], allocated: [] as number[], accepted: [] as number[] };
      let etag = '"0"';
      for (let k = 0; k <= WRITES; k++) {
        const budget = BUDGETS[k % 2]!;
        const perCar = budget / CHARGERS;
        const start = performance.now();
        const put = await call(cloud, `/sites/${siteId}/policy`, {
          method: 'PUT',
          ifMatch: etag,
          body: policy(budget),
        });
        const answered = performance.now();
        etag = put.headers.get('ETag')!;
        // The marks are when things happened, also when that was before the PUT's answer came back.
        await watch.until('allocation on the new budget', () => watch.budget.value === budget);
        await watch.until('every charger accepted', () => ids.every((id) => watch.accepted.get(id)?.amps === perCar));
        // The first write warms the path up and is not counted.
        if (k === 0) continue;
        marks.put.push(answered - start);
        marks.allocated.push(watch.budget.at - start);
        marks.accepted.push(Math.max(...ids.map((id) => watch.accepted.get(id)!.at)) - start);
      }
      const row = (name: string, samples: number[]) => [
        name,
        percentile(samples, 0.5).toFixed(0),
        percentile(samples, 0.99).toFixed(0),
        `${samples.length}`,
      ];
      return [
        row('PUT answered (stored, shadow updated)', marks.put),
        row('allocation on the new budget at the agent', marks.allocated),
        row(`every charger (${CHARGERS}) accepted its new limit`, marks.accepted),
      ];
    } finally {
      await Promise.all(chargers.map((c) => c.close()));
      await agent.stop();
    }
  } finally {
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the policy push benchmark and prints its table. */
export async function benchPolicyPush(): Promise<void> {
  printTable(
    `policy push: PUT /sites/:id/policy -> limits accepted at ${CHARGERS} charging virtual chargers (ms, local stack, ${WRITES} writes alternating ${BUDGETS.join(' / ')} A)`,
    ['mark', 'median', 'p99', 'runs'],
    await policyPushTimes(),
  );
}
