import { describe, expect, it } from 'vitest';
import { LiveHub, type LiveTopic } from '../../../../edge/dashboard/live/live-hub';
import { ManualClock } from '../../../../sim/charger/sim-clock';

describe('LiveHub', () => {
  it('should send the first update at once and fold a burst into one trailing update with the newest data', () => {
    const clock = new ManualClock();
    const hub = new LiveHub(clock, 1000);
    const sent: [LiveTopic, unknown][] = [];
    hub.subscribe((topic, data) => sent.push([topic, data]));

    hub.publish('allocations', () => 1);
    hub.publish('allocations', () => 2);
    hub.publish('allocations', () => 3);
    expect(sent).toEqual([['allocations', 1]]);
    clock.advance(1000);
    expect(sent).toEqual([
      ['allocations', 1],
      ['allocations', 3],
    ]);
  });

  it('should keep topics apart, send every event, and build nothing without listeners', () => {
    const clock = new ManualClock();
    const hub = new LiveHub(clock, 1000);
    let built = 0;
    hub.publish('devices', () => ++built);
    expect(built).toBe(0);

    const sent: LiveTopic[] = [];
    const stop = hub.subscribe((topic) => sent.push(topic));
    hub.publish('devices', () => ++built);
    hub.publish('sample', () => ++built);
    hub.publishEach('event', 'a');
    hub.publishEach('event', 'b');
    expect(sent).toEqual(['devices', 'sample', 'event', 'event']);
    stop();
    hub.publishEach('event', 'c');
    expect(sent).toHaveLength(4);
  });

  it('should drop pending updates when closed', () => {
    const clock = new ManualClock();
    const hub = new LiveHub(clock, 1000);
    const sent: unknown[] = [];
    hub.subscribe((_topic, data) => sent.push(data));
    hub.publish('allocations', () => 1);
    hub.publish('allocations', () => 2);
    hub.close();
    clock.advance(5000);
    expect(sent).toEqual([1]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
