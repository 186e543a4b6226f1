import { describe, expect, it } from 'vitest';
import { SampleRequests } from '../../../../edge/control/sample-requests';
import { SiteRuntime } from '../../../../edge/control/site-runtime';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { ScriptedLeaseSender, testPolicy, testSite } from './control-harness';

function setUp() {
  const clock = new ManualClock();
  const sender = new ScriptedLeaseSender(clock);
  const runtime = new SiteRuntime(SiteSchema.parse(testSite(1)), 5_000);
  runtime.setLink('CP-1', 'online');
  const requests = new SampleRequests(clock, sender, runtime, 5_000);
  const policy = PolicySchema.parse(testPolicy({ closedLoop: { enabled: true, settleSeconds: 15 } }));
  const asked = () => sender.sampleRequests.map((r) => r.at - start);
  const start = clock.now();
  return { clock, runtime, requests, policy, asked };
}

describe('SampleRequests', () => {
  it('should ask soon after a change, twice once the car must have followed (steady or not), and once closed loop may judge', () => {
    // Arrange
    const { clock, requests, policy, asked } = setUp();

    // Act
    requests.afterChange('CP-1', 1, policy);
    clock.advance(30_000);

    // Assert
    expect(asked()).toEqual([1_500, 5_000, 6_500, 15_100]);
  });

  it('should keep asking while limits change every few tenths of a second, and follow the last change', () => {
    // Arrange: a burst of arrivals cuts the car a little every 250 ms for 20 s
    const { clock, requests, policy, asked } = setUp();

    // Act
    for (let t = 0; t < 20_000; t += 250) {
      requests.afterChange('CP-1', 1, policy);
      clock.advance(250);
    }
    const lastChangeAt = 20_000 - 250;
    clock.advance(30_000);

    // Assert: before, every change moved every request later and none came until the changes stopped
    const during = asked().filter((at) => at < lastChangeAt);
    expect(during.length).toBeGreaterThanOrEqual(6);
    for (let k = 1; k < during.length; k++) expect(during[k]! - during[k - 1]!).toBeLessThanOrEqual(15_100 * 2);
    expect(during[0]).toBeLessThanOrEqual(3_000);
    // The last change still gets each of its three samples
    for (const delay of [1_500, 5_000, 6_500, 15_100]) expect(asked()).toContain(lastChangeAt + delay);
  });

  it('should ask nothing once cancelled (the loop stopped)', () => {
    // Arrange
    const { clock, requests, policy, asked } = setUp();

    // Act
    requests.afterChange('CP-1', 1, policy);
    clock.advance(1_000);
    requests.cancelAll();
    clock.advance(30_000);

    // Assert
    expect(asked()).toEqual([]);
  });

  it('should not ask a charger that is not online', () => {
    // Arrange
    const { clock, runtime, requests, policy, asked } = setUp();
    requests.afterChange('CP-1', 1, policy);

    // Act
    runtime.setLink('CP-1', 'offline');
    clock.advance(30_000);

    // Assert
    expect(asked()).toEqual([]);
  });

  it('should ask every car at once while a rise of other load is unconfirmed, and again at most once a second', () => {
    // Arrange: a car on CP-1; the loop's rounds see the rise every 200 ms for 2.4 s
    const { clock, runtime, requests, asked } = setUp();
    runtime.startSession({
      transactionId: 1,
      chargerId: 'CP-1',
      connectorId: 1,
      idTag: undefined,
      startedAt: clock.now(),
      meterStartWh: 0,
      energyWh: 0,
    });

    // Act
    for (let t = 0; t <= 2_400; t += 200) {
      requests.duringUnconfirmedRise();
      clock.advance(200);
    }

    // Assert
    expect(asked()).toEqual([0, 1_000, 2_000]);
  });
});
