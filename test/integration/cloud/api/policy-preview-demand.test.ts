/**
 * Issue 18: the cloud's allocation preview under peak-demand control, on DynamoDB Local: given where a demand period
 * stands, the preview answers the chargers' cap the target leaves them and allocates under it (the shared
 * `demand-preview.ts`, the same arithmetic as the agent's controller and the allocate command).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyInput, siteInput } from '../support/fleet-builders';
import { json, startApiHarness, type ApiHarness } from '../support/api-harness';

interface PreviewBody {
  demand: { targetKw: number; chargersCapKw: number; forecastKw: number; periodMinutes: number } | null;
  allocation: {
    totalAmps: [number, number, number];
    budget: { demandKw?: number };
    connectors: Array<{ ref: string; amps: number }>;
  };
}

const demandPolicy = (enabled: boolean) => ({
  ...policyInput(63),
  control: { mode: 'dynamic', safetyMarginAmps: 2, staleMeter: { afterSeconds: 10, fallbackAmps: 16 } },
  ...(enabled && { demandControl: { enabled: true, periodMinutes: 15, targetKw: 30, marginKw: 0.5 } }),
});
/** 10 minutes into a 15-minute period at 28 kW so far, with 20 kW of other load. */
const state = { averageSoFarKw: 28, secondsIntoPeriod: 600, otherKw: 20 };
const cars = [
  { ref: 'CP-1/1', status: 'Charging', session: { id: 'a', startedAt: 0 } },
  { ref: 'CP-2/1', status: 'Charging', session: { id: 'b', startedAt: 0 } },
];

describe('allocation preview under peak-demand control', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('yard') });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const preview = (body: object) => h.request('/sites/yard/policy/preview', { method: 'POST', tenant: 'acme', body });

  it("should answer the chargers' cap the target leaves them, and allocate under it", async () => {
    // Act
    const capped = await preview({ policy: demandPolicy(true), connectors: cars, demand: state });
    const free = await json<PreviewBody>(await preview({ policy: demandPolicy(true), connectors: cars }));
    const body = await json<PreviewBody>(capped);

    // Assert: the period allows 29.5 kW x 15 min = 7.375 kWh; 4.667 kWh so far and 20 kW x 5 min = 1.667 kWh of other
    // load leave 1.042 kWh for 5 minutes: 12.5 kW, about 18.1 A per phase at 230 V
    expect(capped.status).toBe(200);
    expect(body.demand).toMatchObject({ targetKw: 30, periodMinutes: 15 });
    expect(body.demand!.chargersCapKw).toBeCloseTo(12.5, 6);
    expect(body.demand!.forecastKw).toBeCloseTo(29.5, 6);
    expect(body.allocation.budget.demandKw).toBe(12.5);
    for (const amps of body.allocation.totalAmps) expect(amps).toBeLessThanOrEqual(12_500 / (3 * 230));
    expect(Math.min(...body.allocation.connectors.map((c) => c.amps))).toBeGreaterThan(0);
    expect(free.demand).toBeNull();
    expect(free.allocation.totalAmps[0]).toBeGreaterThan(50);
  });

  it('should refuse a demand state the policy cannot preview, naming the field', async () => {
    const off = await preview({ policy: demandPolicy(false), connectors: cars, demand: state });
    const late = await preview({
      policy: demandPolicy(true),
      connectors: cars,
      demand: { ...state, secondsIntoPeriod: 900 },
    });
    const bad = await preview({ policy: demandPolicy(true), demand: { ...state, otherKw: -1 } });

    expect(off.status).toBe(400);
    expect((await json<{ details: Array<{ path: string }> }>(off)).details.map((d) => d.path)).toEqual(['demand']);
    expect(late.status).toBe(400);
    expect((await json<{ details: Array<{ path: string }> }>(late)).details.map((d) => d.path)).toEqual([
      'demand.secondsIntoPeriod',
    ]);
    expect(bad.status).toBe(400);
    expect((await json<{ details: Array<{ path: string }> }>(bad)).details.map((d) => d.path)).toEqual([
      'demand.otherKw',
    ]);
  });
});
