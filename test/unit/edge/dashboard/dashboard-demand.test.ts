/** Issue 18: the dashboard's view of peak-demand control (`GET /api/demand`), from the controller's own count. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DemandAnswerSchema } from '../../../../shared/dashboard/demand-answer';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { POLICY, startHarness, type Harness } from './dashboard-harness';

describe('dashboard peak-demand view', () => {
  let h: Harness;
  beforeEach(() => (h = startHarness()));
  afterEach(() => h.close());

  it('should show the period so far, its forecast, target and cap, only when signed in', async () => {
    // Arrange: demand control on with a 40 kW target, and five minutes of the grid meter at 30 kW.
    const policy = PolicySchema.parse({
      ...POLICY,
      control: { mode: 'dynamic' },
      demandControl: { enabled: true, targetKw: 40, marginKw: 0 },
    });
    h.control.setPolicy(policy);
    const start = h.clock.now();
    for (let k = 1; k <= 300; k++) {
      h.clock.advance(1000);
      h.control.demand.onReading(h.clock.now(), { watts: 30_000, registerWh: 0 }, policy);
    }
    h.control.demand.chargerCapW(h.clock.now(), 30_000, policy);
    const { cookie } = await h.signIn();

    // Act
    const refused = await h.call('GET', '/api/demand');
    const answer = DemandAnswerSchema.parse(await (await h.call('GET', '/api/demand', { cookie })).json());

    // Assert
    expect(refused.status).toBe(401);
    expect(answer).toMatchObject({ enabled: true, targetKw: 40, uncertain: false, monthPeaks: [] });
    expect(answer.period?.start).toBe(start);
    expect(answer.averageSoFarKw).toBeCloseTo(30, 1);
    // 10 kW beside 30 kW for the rest, plus the 10 kW left unused in the first 5 minutes spread over the last 10.
    expect(answer.chargersCapKw).toBeCloseTo(15, 0);
    expect(answer.forecastKw).toBeCloseTo(40, 0);
  });

  it('should say it is off, with nothing counted, when the policy does not enable it', async () => {
    const { cookie } = await h.signIn();
    const answer = DemandAnswerSchema.parse(await (await h.call('GET', '/api/demand', { cookie })).json());
    expect(answer).toEqual({
      enabled: false,
      period: null,
      averageSoFarKw: null,
      forecastKw: null,
      targetKw: null,
      chargersCapKw: null,
      uncertain: false,
      monthPeaks: [],
    });
  });
});
