/**
 * A charger's boot as closed-loop scenarios in virtual time: a charger that boots for real (new, or rebooted and with
 * its profiles lost) holds nothing until its boot configuration lands, and its first idle hold must stop no car.
 */
import { describe, expect, it } from 'vitest';
import { runClosedLoop, type ClosedLoopRun } from '../../../support/closed-loop';
import { expectNoOverload } from '../../../support/closed-loop-expectations';
import { dynamicPolicy, plantSite, staticPlant } from '../../../support/plant-sites';

/** A 48 A fuse under static control; CP-2 reboots at 30 s and answers each call in 1.5 s. */
const cp2RebootsBeside = (
  cars: { ref: string; arriveSeconds: number; startSeconds?: number }[],
  bootAnsweredAtOnce = false,
) => ({
  ...staticPlant(2, 48),
  durationSeconds: 120,
  chargers: { meterValuesSeconds: 10, answerMs: 1_500, bootAnsweredAtOnce },
  cars,
  reboots: [{ chargerId: 'CP-2', atSeconds: 30 }],
});

/** Watches what each car's charger gives it: the cars given current, and those given 0 after that (a stop). */
function watchStops() {
  const offered = new Set<string>();
  const stops: string[] = [];
  const onStep = ({ plant }: ClosedLoopRun) => {
    for (const s of plant.sessions()) {
      if (s.inForceAmps > 0) offered.add(s.ref);
      else if (offered.has(s.ref) && !stops.includes(s.ref)) stops.push(s.ref);
    }
  };
  return { offered, stops, onStep };
}

describe('closed loop: a charger that boots', () => {
  it('should reserve a rebooted charger maximum until its fail-safe is back, so a car plugged in meanwhile cannot overload the fuse', async () => {
    // Arrange: a 48 A fuse; CP-1's car takes 32 A. CP-2 reboots at 30 s and loses its profiles (its idle hold too, not
    // due for renewal yet); its boot configuration (four calls answered in 1.5 s each) sets its fail-safe again at 38 s,
    // and a car plugs into it at 35 s. Its boot is answered at once (a cluster node, a CSMS in front): the car starts
    const scenario = cp2RebootsBeside(
      [
        { ref: 'CP-1/1', arriveSeconds: 1 },
        { ref: 'CP-2/1', arriveSeconds: 35, startSeconds: 1 },
      ],
      true,
    );

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert: CP-1 was cut to what CP-2's maximum leaves before CP-2's car drew (before: it kept 32 A, 64 A drawn)
    expectNoOverload(quality);
  });

  it('should reserve a new charger maximum until its boot configuration set its fail-safe', async () => {
    // Arrange: as above, with CP-2 new (no profile at all), its boot answered at once and its car plugging in while it
    // is configured; chargers that take no idle hold, so only the fail-safe can stand between that car and the
    // charger's maximum
    const scenario = {
      ...staticPlant(2, 48),
      durationSeconds: 60,
      chargers: { meterValuesSeconds: 10, answerMs: 1_500, idleHold: false, bootAnsweredAtOnce: true },
      cars: [
        { ref: 'CP-1/1', arriveSeconds: 0 },
        { ref: 'CP-2/1', arriveSeconds: 4, startSeconds: 1 },
      ],
      unconfigured: ['CP-2'],
    };

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expectNoOverload(quality);
  });

  it('should resume a car paused for a booting charger maximum once its fail-safe is back, not a minimum pause later', async () => {
    // Arrange: a 36 A fuse; CP-1's car takes 32 A. CP-2 reboots at 30 s and is reserved at its 32 A maximum until its
    // boot configuration sets its fail-safe 3 s after it is back: CP-1's car does not fit at its minimum beside it
    const scenario = {
      ...staticPlant(2, 36),
      durationSeconds: 120,
      chargers: { meterValuesSeconds: 10, bootConfigurationMs: 3_000 },
      cars: [{ ref: 'CP-1/1', arriveSeconds: 1 }],
      reboots: [{ chargerId: 'CP-2', atSeconds: 30 }],
    };

    // Act
    const { quality, events } = await runClosedLoop(scenario);

    // Assert: paused while the reservation lasts, back within seconds of it (before: it sat out the 60 s minimum pause)
    const start = events[0]!.at;
    const cp1 = events.flatMap((e) =>
      e.type === 'profileAccepted' && e.chargerId === 'CP-1' && e.change !== 'renewal'
        ? [{ s: (e.at - start) / 1000, amps: e.amps }]
        : [],
    );
    const paused = cp1.find((e) => e.amps === 0);
    const resumed = cp1.find((e) => paused !== undefined && e.s > paused.s && e.amps > 0);
    expect(paused?.s).toBeGreaterThan(30);
    expect(resumed!.s - paused!.s).toBeLessThan(10);
    expectNoOverload(quality);
  });

  it('should not pause a car beside a booting charger for a draw its own charger had not reported yet (seed 1322495767)', async () => {
    // Arrange: three 1-phase chargers on L1 of a 35 A fuse, MeterValues every 60 s. CP-2 reboots at 23 s; a car plugs
    // into CP-1 at 25 s and starts drawing 12 A only 5.5 s later, after CP-1's last sample showed it not drawing. CP-2
    // is back at 33 s and reserved at its 16 A maximum until its fail-safe lands: 16 + 12 A fit under 34
    const scenario = {
      site: plantSite(3, { phases: 1, maxAmps: 16, fuseAmps: 35, rotate: false }),
      policy: dynamicPolicy(35, { closedLoop: { enabled: false } }),
      durationSeconds: 60,
      chargers: { meterValuesSeconds: 60, answerMs: 100 },
      cars: [{ ref: 'CP-1/1', arriveSeconds: 25, maxAmps: 12, phases: 1 as const, delaySeconds: 0.5, startSeconds: 5 }],
      reboots: [{ chargerId: 'CP-2', atSeconds: 23, downSeconds: 10 }],
    };
    const { stops, onStep } = watchStops();

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100, onStep });

    // Assert: before, the car's 12 A counted as other load (the rise it made was confirmed with no sample asked for),
    // and the reservation paused it until the fail-safe landed
    expect(stops).toEqual([]);
    expect(quality.unneededPauseStarts).toBe(0);
  });

  it('should not start a car on a rebooted charger before its fail-safe and first idle hold are in, so the hold stops nobody', async () => {
    // Arrange: a 48 A fuse; CP-1's car takes 32 A. CP-2 reboots at 30 s and is back at 32 s; it answers each call in
    // 1.5 s, so its first hold lands at about 34 s and its fail-safe at 38 s. A car plugs into it at 33 s, while the hold
    // is on its way
    const scenario = cp2RebootsBeside([
      { ref: 'CP-1/1', arriveSeconds: 5 },
      { ref: 'CP-2/1', arriveSeconds: 33, startSeconds: 0 },
    ]);
    const { offered, stops, onStep } = watchStops();

    // Act: watch what CP-2's car is given
    const { quality } = await runClosedLoop(scenario, { onStep });

    // Assert: the car charges, from nothing to its lease (before: its charger's maximum, then 0 when the hold landed)
    expect(offered.has('CP-2/1')).toBe(true);
    expect(stops).toEqual([]);
    expectNoOverload(quality);
  });

  it('should not stop a car already on a charger with the charger first idle hold, before its lease (found by the property test)', async () => {
    // Arrange: cars plug into both chargers as they first connect, before the first round sent any hold. CP-1 is new
    // (its maximum counts until its fail-safe is set), so CP-2's first lease is a raise that waits for CP-1's cut,
    // while CP-2's first hold would go out at once
    const scenario = {
      site: plantSite(2, { fuseAmps: 29, phases: 1, rotate: false, maxAmps: 16 }),
      policy: dynamicPolicy(29, {
        control: { mode: 'dynamic', safetyMarginAmps: 1, staleMeter: { afterSeconds: 5, fallbackAmps: 22 } },
        closedLoop: { enabled: false },
        hysteresis: { stepAmps: 0.5, minPauseSeconds: 0, minActiveSeconds: 0 },
        granularityAmps: 0.1,
      }),
      durationSeconds: 30,
      chargers: { meterValuesSeconds: 1, answerMs: 100 },
      building: [{ atSeconds: 0, amps: 0 }],
      cars: ['CP-2/1', 'CP-1/1'].map((ref) => ({
        ref,
        arriveSeconds: 0,
        maxAmps: 6,
        phases: 1 as const,
        delaySeconds: 0,
        rampSeconds: 0.5,
        startSeconds: 1,
      })),
      unconfigured: ['CP-1'],
    };
    const { offered, stops, onStep } = watchStops();

    // Act: watch what each car's charger gives it
    await runClosedLoop(scenario, { onStep });

    // Assert: each car goes from its fail-safe to its lease, never to 0 in between (before: the hold landed first)
    expect(offered.size).toBe(2);
    expect(stops).toEqual([]);
  });
});
