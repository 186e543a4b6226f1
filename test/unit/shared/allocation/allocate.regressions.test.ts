/** Rules an independent checker found broken (issue 11), each pinned by the smallest site that showed it. */
import { describe, expect, it } from 'vitest';
import { allocate } from '../../../../shared/allocation/allocator';
import { RAISE_GATE, type Allocation } from '../../../../shared/allocation/allocation-types';
import { safetyViolations } from '../../../support/allocation-invariants';
import { ampsByRef, charging, policyOf, siteOf, snapshotOf, spreadOf, T0 } from '../../../support/allocation-builders';

describe('allocate (regressions)', () => {
  describe('phase imbalance', () => {
    it.each([
      ['a VIP', { vip: { enabled: true, connectors: ['CP1/1'] } }],
      [
        'a higher priority level',
        { distribution: 'priority' as const, priorityLevels: [{ level: 5, connectors: ['CP1/1'] }] },
      ],
    ])('should pause a normal car rather than %s to keep the imbalance limit', (_, overrides) => {
      // Arrange: a 1-phase car and a 2-phase car both on L1; only one of them fits within 6 A of L3.
      const site = siteOf(100, [
        { id: 'CP1', phases: 1, maxAmps: 32 },
        { id: 'CP2', phases: 3, maxAmps: 32 },
      ]);
      const policy = policyOf(100, { phaseImbalance: { maxAmps: 6 }, ...overrides });
      const snapshot = snapshotOf(site, charging({ 'CP1/1': {}, 'CP2/1': { carPhases: 2 } }));

      // Act
      const allocation = allocate(snapshot, policy, T0);

      // Assert
      expect(ampsByRef(allocation)).toEqual({ 'CP1/1': 6, 'CP2/1': 0 });
      expect(allocation.connectors[1]!.reason).toBe('imbalanceLimited');
    });

    it('should pause the two 2-phase cars, not the VIP, when only pausing both narrows the gap (seed 1840591594)', () => {
      // Arrange: a VIP on L3 (6 A at most), a 2-phase car on L3 and L1, another on L3 and L2; 8 A imbalance limit. L3
      // carries the VIP and the car not on L1 (12 A at their minimums) whatever the car on both does, so the VIP
      // charges with neither or alone; class first: alone.
      const site = siteOf(100, [
        { id: 'CP1', phases: 1, maxAmps: 6, phaseRotation: 'L3L1L2' },
        { id: 'CP2', phases: 3, maxAmps: 32, phaseRotation: 'L3L1L2' },
        { id: 'CP3', phases: 3, maxAmps: 32, phaseRotation: 'L3L2L1' },
      ]);
      const policy = policyOf(100, { phaseImbalance: { maxAmps: 8 }, vip: { enabled: true, connectors: ['CP1/1'] } });
      const snapshot = snapshotOf(
        site,
        charging({ 'CP1/1': {}, 'CP2/1': { carPhases: 2 }, 'CP3/1': { carPhases: 2 } }),
      );

      // Act
      const allocation = allocate(snapshot, policy, T0);

      // Assert: before, all three at 6 A, L3 12 A above L1 and L2 (the pause selection judged each phase's minimums
      // against the most the lightest phase could carry, counting the 2-phase car that loads L3 as much)
      expect(ampsByRef(allocation)).toEqual({ 'CP1/1': 6, 'CP2/1': 0, 'CP3/1': 0 });
      expect(safetyViolations(snapshot, policy, allocation, T0)).toEqual([]);
    });

    it('should pause the car with most energy, not the one with none, when the imbalance limit leaves room for one', () => {
      // Arrange: two 1-phase cars on L1, nothing on L2 and L3: 6 A of imbalance fits one car.
      const site = siteOf(100, [
        { id: 'CP1', phases: 1, maxAmps: 32 },
        { id: 'CP2', phases: 1, maxAmps: 32 },
      ]);
      const policy = policyOf(100, { phaseImbalance: { maxAmps: 6 } });
      const snapshot = snapshotOf(site, charging({ 'CP1/1': { energyWh: 0 }, 'CP2/1': { energyWh: 12_000 } }));

      // Act
      const allocation = allocate(snapshot, policy, T0);

      // Assert
      expect(ampsByRef(allocation)).toEqual({ 'CP1/1': 6, 'CP2/1': 0 });
    });

    it('should not keep a car paused whose minimum fits within the imbalance limit', () => {
      // Arrange: a 2-phase car (L3 and L1) that the 7 A limit cannot take, and a 1-phase car on L3 that it can.
      const site = siteOf(16, [
        { id: 'CP0', phases: 3, maxAmps: 10, minAmps: 10, phaseRotation: 'L3L1L2' },
        { id: 'CP1', phases: 1, maxAmps: 10, phaseRotation: 'L3L1L2' },
      ]);
      const policy = policyOf(16, { phaseImbalance: { maxAmps: 7 }, granularityAmps: 0.5 });

      // Act
      const allocation = allocate(snapshotOf(site, charging({ 'CP0/1': { carPhases: 2 }, 'CP1/1': {} })), policy, T0);

      // Assert
      expect(ampsByRef(allocation)).toEqual({ 'CP0/1': 0, 'CP1/1': 7 });
    });

    it('should fill again after pausing a car for balance before pausing another', () => {
      // Arrange: on a 10 kW budget, two 1-phase cars on L1 (one offline, holding 10 A) and a 2-phase car on L2 and
      // L3 that only the budget keeps low; 10 A imbalance limit.
      const site = siteOf(26, [
        { id: 'CP1', phases: 1, maxAmps: 10, minAmps: 10, phaseRotation: 'L1L3L2' },
        { id: 'CP2', phases: 3, maxAmps: 22, phaseRotation: 'L2L3L1', connectors: [{ id: 1, maxAmps: 16 }] },
        {
          id: 'CP3',
          phases: 1,
          maxAmps: 31,
          connectors: [
            { id: 1, maxAmps: 16 },
            { id: 2, maxAmps: 16 },
          ],
        },
      ]);
      const policy = {
        ...policyOf(100, { phaseImbalance: { maxAmps: 10 }, granularityAmps: 1, failSafe: { connectorAmps: 10 } }),
        budget: { unit: 'kW' as const, min: 0, max: 10 },
      };
      const states = charging({ 'CP1/1': {}, 'CP2/1': { carPhases: 2 }, 'CP3/1': {}, 'CP3/2': {} }).map((s) =>
        s.ref === 'CP3/1' ? { ...s, link: 'offline' as const } : s,
      );

      // Act
      const allocation = allocate(snapshotOf(site, states), policy, T0);

      // Assert: pausing CP3/2 frees budget that lifts L2 and L3 enough for CP1/1 to keep charging.
      expect(ampsByRef(allocation)).toEqual({ 'CP1/1': 10, 'CP2/1': 11, 'CP3/1': 10, 'CP3/2': 0 });
    });

    it('should give a 2-phase car its fair share when it lifts the lightest phase as it rises', () => {
      // Arrange: a VIP on L1, a 2-phase car on L1 and L2, a 1-phase car on L3; 38 A fuses, 30 A imbalance limit.
      const site = siteOf(38, [
        { id: 'CP1', phases: 1, maxAmps: 31 },
        { id: 'CP2', phases: 3, maxAmps: 12 },
        { id: 'CP3', phases: 1, maxAmps: 24, phaseRotation: 'L3L1L2' },
      ]);
      const policy = policyOf(100, {
        granularityAmps: 1,
        phaseImbalance: { maxAmps: 30 },
        vip: { enabled: true, connectors: ['CP1/1'] },
      });

      // Act
      const allocation = allocate(
        snapshotOf(site, charging({ 'CP1/1': {}, 'CP2/1': { carPhases: 2 }, 'CP3/1': {} })),
        policy,
        T0,
      );

      // Assert: L1 carries 30 + 8 = 38 A (its fuse); L2 rises with the 2-phase car, so the spread stays at 30 A.
      expect(ampsByRef(allocation)).toEqual({ 'CP1/1': 30, 'CP2/1': 8, 'CP3/1': 24 });
    });
  });

  describe('phase imbalance and 3-phase cars', () => {
    it('should not let a 3-phase car take the room a 2-phase car on the lightest phase was capped out of', () => {
      // Arrange: a 3-phase and a 2-phase car (L2 and L1) on one charger, a 1-phase car on L1 and one on L3, 22 A fuses,
      // 7 A imbalance limit. The 2-phase car's rise lifts the lightest phase (L2) as much as the heaviest (L1).
      const site = siteOf(22, [
        {
          id: 'CP0',
          phases: 3,
          maxAmps: 56,
          phaseRotation: 'L2L1L3',
          connectors: [
            { id: 1, maxAmps: 28 },
            { id: 2, maxAmps: 28 },
          ],
        },
        {
          id: 'CP2',
          phases: 3,
          maxAmps: 48,
          minAmps: 8,
          phaseRotation: 'L3L1L2',
          connectors: [{ id: 1, maxAmps: 11 }],
        },
        { id: 'CP3', phases: 1, maxAmps: 25, phaseRotation: 'L1L3L2' },
      ]);
      const policy = {
        ...policyOf(100, { phaseImbalance: { maxAmps: 7 } }),
        budget: { unit: 'kW' as const, min: 0, max: 15.18 },
      };
      const cars = charging({ 'CP0/1': {}, 'CP0/2': { carPhases: 2 }, 'CP2/1': { carPhases: 1 }, 'CP3/1': {} });

      // Act
      const allocation = allocate(snapshotOf(site, cars), policy, T0);

      // Assert: L1 carries 7.5 + 7.5 + 7 = 22 A; L1 - L2 = 7 A.
      expect(ampsByRef(allocation)).toEqual({ 'CP0/1': 7.5, 'CP0/2': 7.5, 'CP2/1': 11, 'CP3/1': 7 });
    });

    it('should hand out the power a trade freed under a kW budget while the imbalance limit binds exactly', () => {
      // Arrange (property-test seed -1941133634, reduced): on 33 kW with a 13 A imbalance limit, the top-up that
      // follows a trade traded again, a 3-phase car's steps to a 2-phase car: each step moved freed a third of a step's
      // power, and nothing handed it out, so one 3-phase car stayed a step short with 345 W of budget unused.
      const site = siteOf(171, [
        { id: 'CP1', phases: 3, maxAmps: 21, phaseRotation: 'L2L3L1' },
        { id: 'CP2', phases: 3, maxAmps: 27, phaseRotation: 'L1L3L2' },
        { id: 'CP3', phases: 3, maxAmps: 21, minAmps: 10, phaseRotation: 'L1L3L2' },
        { id: 'CP4', phases: 3, maxAmps: 18 },
        { id: 'CP5', phases: 1, maxAmps: 54 },
        { id: 'CP6', phases: 1, maxAmps: 16, minAmps: 8, phaseRotation: 'L3L2L1' },
      ]);
      const policy = {
        ...policyOf(171, { phaseImbalance: { maxAmps: 13 }, granularityAmps: 0.5 }),
        budget: { unit: 'kW' as const, min: 0, max: 33 },
      };
      const cars = charging({
        'CP1/1': {},
        'CP2/1': { carPhases: 1 },
        'CP3/1': {},
        'CP4/1': { carPhases: 2 },
        'CP5/1': {},
        'CP6/1': {},
      });

      // Act
      const allocation = allocate(snapshotOf(site, cars), policy, T0);

      // Assert: 56 + 43 + 44 A at 230 V is 32.89 kW, 110 W short of the budget: less than any car's next step.
      expect(ampsByRef(allocation)).toEqual({
        'CP1/1': 13,
        'CP2/1': 6.5,
        'CP3/1': 15,
        'CP4/1': 15,
        'CP5/1': 6.5,
        'CP6/1': 16,
      });
      expect(spreadOf(allocation)).toBe(13);
    });
  });

  describe('phase imbalance beside reserved load', () => {
    it('should keep every phase our cars load within the limit of the lightest when reserved load alone makes another the heaviest', () => {
      // Arrange: offline chargers hold 10 A on L1, 60 A on L2 and 20 A on L3 (fail-safe 10 A each); ours: a 1-phase
      // car on L1 and a 2-phase car on L1 and L3; 9 A imbalance limit.
      const offline = (id: string, phaseRotation: 'L1L2L3' | 'L2L3L1' | 'L3L1L2') => ({
        id,
        phases: 1 as const,
        maxAmps: 32,
        phaseRotation,
      });
      const site = siteOf(400, [
        offline('R1', 'L1L2L3'),
        ...['a', 'b', 'c', 'd', 'e', 'f'].map((k) => offline(`R2${k}`, 'L2L3L1')),
        offline('R3a', 'L3L1L2'),
        offline('R3b', 'L3L1L2'),
        { id: 'A', phases: 1, maxAmps: 20 },
        { id: 'B', phases: 3, maxAmps: 27, phaseRotation: 'L1L3L2' },
      ]);
      const policy = policyOf(400, {
        phaseImbalance: { maxAmps: 9 },
        granularityAmps: 0.5,
        failSafe: { connectorAmps: 10 },
      });
      const refs = ['R1', 'R2a', 'R2b', 'R2c', 'R2d', 'R2e', 'R2f', 'R3a', 'R3b'];
      const states = charging({
        ...Object.fromEntries(refs.map((r) => [`${r}/1`, {}])),
        'A/1': {},
        'B/1': { carPhases: 2 },
      }).map((s) => (refs.includes(s.ref.split('/')[0]!) ? { ...s, link: 'offline' as const } : s));

      // Act
      const allocation = allocate(snapshotOf(site, states), policy, T0);

      // Assert: L2 is out of our hands, but L1 (where the 1-phase car charges) stays within 9 A of L3.
      const [l1, , l3] = allocation.totalAmps;
      expect(l1 - l3).toBeLessThanOrEqual(9);
      expect(ampsByRef(allocation)).toMatchObject({ 'A/1': 19, 'B/1': 27 });
    });
  });

  describe('phase imbalance on a kW budget', () => {
    it('should let a capped phase follow the lightest phase as it rises, so the VIPs share max-min fair (seed 515449760)', () => {
      // Arrange: 14 kW, 8 A imbalance limit. VIPs: a 1-phase car on L2, a 2-phase car on L3 and L1. Normal cars at
      // their minimum: a 1-phase car on L2 (10 A) and a 3-phase car (6 A). L2 is capped 8 A above L1; the current the
      // cap keeps back lifts the 2-phase VIP, and with it L1.
      const site = siteOf(27, [
        { id: 'CP0', phases: 1, maxAmps: 26, minAmps: 8, phaseRotation: 'L2L3L1' },
        { id: 'CP1', phases: 1, maxAmps: 31, minAmps: 10, phaseRotation: 'L2L1L3' },
        { id: 'CP2', phases: 3, maxAmps: 23, minAmps: 6 },
        { id: 'CP3', phases: 3, maxAmps: 13, minAmps: 10, phaseRotation: 'L3L1L2' },
      ]);
      const policy = {
        ...policyOf(27, { phaseImbalance: { maxAmps: 8 }, vip: { enabled: true, connectors: ['CP0/1', 'CP3/1'] } }),
        budget: { unit: 'kW' as const, min: 0, max: 14 },
      };
      const snapshot = snapshotOf(site, charging({ 'CP0/1': {}, 'CP1/1': {}, 'CP2/1': {}, 'CP3/1': { carPhases: 2 } }));

      // Act
      const allocation = allocate(snapshot, policy, T0);

      // Assert: L2 at L1 + 8 A and the budget full (60.8 A of 60.87). Before, L2's cap stayed where the first fill's
      // L1 put it: 9.0 and 11.9 A
      expect(ampsByRef(allocation)).toEqual({ 'CP0/1': 9.6, 'CP1/1': 10, 'CP2/1': 6, 'CP3/1': 11.6 });
      expect(safetyViolations(snapshot, policy, allocation, T0)).toEqual([]);
    });
  });

  describe('hysteresis and the imbalance limit', () => {
    it.each([
      [1, [10.5, 30, 10.5] as [number, number, number]],
      [5, [14, 30, 14] as [number, number, number]],
    ])('should not hold back small rises when that breaks the imbalance limit (stepAmps %d)', (stepAmps, fuseAfter) => {
      // Arrange: one 1-phase car per grid phase; L2's fuse is the loosest, so its car is held by the imbalance limit.
      const chargers = [
        { id: 'CP1', phases: 1 as const, maxAmps: 32, phaseRotation: 'L1L2L3' as const },
        { id: 'CP2', phases: 1 as const, maxAmps: 32, phaseRotation: 'L2L3L1' as const },
        { id: 'CP3', phases: 1 as const, maxAmps: 32, phaseRotation: 'L3L1L2' as const },
      ];
      const policy = policyOf(200, {
        phaseImbalance: { maxAmps: 6 },
        granularityAmps: 0.5,
        hysteresis: { stepAmps, minPauseSeconds: 60, minActiveSeconds: 120 },
      });
      const cars = { 'CP1/1': {}, 'CP2/1': {}, 'CP3/1': {} };
      const first = allocate(snapshotOf(siteOf([10, 15, 10], chargers), charging(cars)), policy, T0);

      // Act: L1 and L3 may rise by less than the hysteresis step, L2 by more.
      const second = allocate(snapshotOf(siteOf(fuseAfter, chargers), charging(cars), first), policy, T0 + 30_000);

      // Assert
      expect(spreadOf(first)).toBeLessThanOrEqual(6);
      expect(spreadOf(second)).toBeLessThanOrEqual(6);
    });
  });

  describe('minimum pause', () => {
    it.each([
      ['held at 0 by the raise gate while it waited for room (it just plugged in)', 'pausedNoBudget', RAISE_GATE, 6],
      ["paused by a lost meter's fallback (the meter is back)", 'pausedMeterLost', undefined, 6],
      ['paused by the allocation', 'pausedNoBudget', undefined, 0],
    ] as const)('should let a car %s charge as soon as it fits', (_, reason, boundBy, expected) => {
      // Arrange: the previous round left CP2's car at 0 a second ago; now both fit
      const site = siteOf(100, [
        { id: 'CP1', phases: 3, maxAmps: 32 },
        { id: 'CP2', phases: 3, maxAmps: 32 },
      ]);
      const policy = policyOf(12, { hysteresis: { stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 0 } });
      const cars = { 'CP1/1': {}, 'CP2/1': {} };
      const first = allocate(snapshotOf(site, charging(cars)), policy, T0);
      const previous: Allocation = {
        ...first,
        connectors: first.connectors.map((c) =>
          c.ref === 'CP2/1'
            ? {
                ...c,
                amps: 0,
                phaseAmps: [0, 0, 0],
                activity: 'paused',
                since: T0,
                reason,
                ...(boundBy && { boundBy }),
              }
            : c,
        ),
      };

      // Act
      const next = allocate(snapshotOf(site, charging(cars), previous), policy, T0 + 1_000);

      // Assert: a car the gate kept waiting was never paused, and one a fault paused was not paused by the controller's
      // choice: neither sits out a minimum pause
      expect(ampsByRef(next)['CP2/1']).toBe(expected);
    });
  });

  describe('rounding', () => {
    it.each([
      [0.5, 15, { 'CP1/1': 7, 'CP2/1': 8 }],
      [1, 15, { 'CP1/1': 7, 'CP2/1': 8 }],
      [0.1, 14.5, { 'CP1/1': 6.5, 'CP2/1': 8 }],
    ])(
      'should give a rounding step to the car with the lower minimum (granularity %d A, budget %d A)',
      (granularityAmps, budget, expected) => {
        // Arrange: minimums 6 and 8 A on one budget.
        const site = siteOf(100, [
          { id: 'CP1', phases: 3, maxAmps: 32, minAmps: 6 },
          { id: 'CP2', phases: 3, maxAmps: 32, minAmps: 8 },
        ]);
        const policy = policyOf(budget, { granularityAmps: granularityAmps as 0.1 | 0.5 | 1 });

        // Act
        const allocation = allocate(snapshotOf(site, charging({ 'CP1/1': {}, 'CP2/1': {} })), policy, T0);

        // Assert
        expect(ampsByRef(allocation)).toEqual(expected);
      },
    );
  });

  describe('hysteresis and fairness', () => {
    it('should not keep a step on the car with the higher minimum when the fair share moved it to the other (8.0/7.0, not 8.5/6.5)', () => {
      // Arrange: minimums 6 and 8 A on 15 A; CP1 could take only 6.5 A last round, so CP2 had 8.5 A.
      const policy = policyOf(15, { granularityAmps: 0.5 });
      const siteWith = (cp1MaxAmps: number) =>
        siteOf(100, [
          { id: 'CP1', phases: 3, maxAmps: cp1MaxAmps, minAmps: 6 },
          { id: 'CP2', phases: 3, maxAmps: 32, minAmps: 8 },
        ]);
      const cars = { 'CP1/1': {}, 'CP2/1': {} };
      const first = allocate(snapshotOf(siteWith(6.5), charging(cars)), policy, T0);

      // Act: CP1 may take more now; both changes are below the 1 A hysteresis step.
      const second = allocate(snapshotOf(siteWith(32), charging(cars), first), policy, T0 + 30_000);
      const third = allocate(snapshotOf(siteWith(32), charging(cars), second), policy, T0 + 60_000);

      // Assert
      expect(ampsByRef(first)).toEqual({ 'CP1/1': 6.5, 'CP2/1': 8.5 });
      expect(ampsByRef(second)).toEqual({ 'CP1/1': 7, 'CP2/1': 8 });
      expect(ampsByRef(third)).toEqual({ 'CP1/1': 7, 'CP2/1': 8 });
    });

    it('should keep every limit when an estimate moves less than a step, though the fill would shift a little between cars (found in closed loop)', () => {
      // Arrange: two 3-phase cars held by L2 at 13 A each; a 1-phase car on L1 takes the 14 A L1 has left
      const policy = policyOf(100);
      const siteWith = (l2Amps: number) =>
        siteOf(
          [40, l2Amps, 100],
          [
            { id: 'CP1', phases: 3, maxAmps: 32 },
            { id: 'CP2', phases: 3, maxAmps: 32 },
            { id: 'CP3', phases: 1, maxAmps: 32 },
          ],
        );
      const cars = { 'CP1/1': {}, 'CP2/1': {}, 'CP3/1': {} };
      const first = allocate(snapshotOf(siteWith(26), charging(cars)), policy, T0);

      // Act: L2 has 0.4 A more room (an estimate that improved): the fill says 13.2/13.2/13.6
      const second = allocate(snapshotOf(siteWith(26.4), charging(cars), first), policy, T0 + 30_000);

      // Assert
      expect(ampsByRef(first)).toEqual({ 'CP1/1': 13, 'CP2/1': 13, 'CP3/1': 14 });
      expect(ampsByRef(second)).toEqual(ampsByRef(first));
    });

    it('should keep a 1-phase car on a lighter phase where it is when the 3-phase cars bound elsewhere rise a little (found in closed loop)', () => {
      // Arrange: two 3-phase cars held by L2 (CP1 a little below CP2: its cable allowed 12.8 A last round); a 1-phase car
      // on L1 takes the 24 A L1 has left beside them
      const policy = policyOf(100);
      const siteWith = (l2Amps: number, cp1MaxAmps: number) =>
        siteOf(
          [50, l2Amps, 100],
          [
            { id: 'CP1', phases: 3, maxAmps: cp1MaxAmps },
            { id: 'CP2', phases: 3, maxAmps: 32 },
            { id: 'CP3', phases: 1, maxAmps: 32 },
          ],
        );
      const cars = { 'CP1/1': {}, 'CP2/1': {}, 'CP3/1': {} };
      const first = allocate(snapshotOf(siteWith(26, 12.8), charging(cars)), policy, T0);

      // Act: L2 has 0.8 A more room: the fill says 13.4/13.4 and 23.2 A for the 1-phase car, every change under a step
      const second = allocate(snapshotOf(siteWith(26.8, 32), charging(cars), first), policy, T0 + 30_000);

      // Assert: before, the 1-phase car's small fall was refused as if it shared a level with the 3-phase cars (it sits
      // higher by right: their limit is L2), so all three limits moved
      expect(ampsByRef(first)).toEqual({ 'CP1/1': 12.8, 'CP2/1': 13.2, 'CP3/1': 24 });
      expect(ampsByRef(second)).toEqual(ampsByRef(first));
    });

    it('should finish a raise the control loop held back short of the share within seconds, however small the rest (found in closed loop)', () => {
      // Arrange: two cars sharing 20 A; the gate let CP1 rise to 9.7 A only (the safe estimate still counted cars
      // ramping up): the rest, 0.3 A, is under the 1 A step
      const policy = policyOf(20);
      const site = siteOf(100, [
        { id: 'CP1', phases: 3, maxAmps: 32 },
        { id: 'CP2', phases: 3, maxAmps: 32 },
      ]);
      const cars = { 'CP1/1': {}, 'CP2/1': {} };
      const shared = allocate(snapshotOf(site, charging(cars)), policy, T0);
      const gated: Allocation = {
        ...shared,
        connectors: shared.connectors.map((c) =>
          c.ref === 'CP1/1' ? { ...c, amps: 9.7, phaseAmps: [9.7, 9.7, 9.7], boundBy: RAISE_GATE } : c,
        ),
      };

      // Act
      const soon = allocate(snapshotOf(site, charging(cars), gated), policy, T0 + 2_000);
      const late = allocate(snapshotOf(site, charging(cars), gated), policy, T0 + 20_000);

      // Assert: before, hysteresis kept the rest back for as long as the load held (17 of 32 cars 0.3 A under their
      // share after a meter loss in the control-quality benchmark); once the change is 10 s old it is left, as any
      // small change
      expect(ampsByRef(shared)).toEqual({ 'CP1/1': 10, 'CP2/1': 10 });
      expect(ampsByRef(soon)).toEqual({ 'CP1/1': 10, 'CP2/1': 10 });
      expect(ampsByRef(late)).toEqual({ 'CP1/1': 9.7, 'CP2/1': 10 });
    });

    it('should not cut a car for rises hysteresis then drops: a fall whose room goes to nobody is not sent (found in closed loop)', () => {
      // Arrange: twenty 3-phase cars held by L2 at 14.5 A; a 1-phase car on L1 takes the 30 A L1 has left beside them
      const policy = policyOf(1_000);
      const threePhase = Array.from({ length: 20 }, (_, k) => ({ id: `CP${k + 1}`, phases: 3 as const, maxAmps: 32 }));
      const siteWith = (l2Amps: number) =>
        siteOf([320, l2Amps, 1_000], [...threePhase, { id: 'CP21', phases: 1, maxAmps: 32 }]);
      const cars = Object.fromEntries([...threePhase.map((c) => c.id), 'CP21'].map((id) => [`${id}/1`, {}]));
      const first = allocate(snapshotOf(siteWith(290), charging(cars)), policy, T0);

      // Act: L2 has 2 A more room (a reservation released): the fill says 14.6 A for each 3-phase car (under the step,
      // dropped: 2 A left unused is within the 1 % hysteresis may strand) and 28 A for the 1-phase car
      const second = allocate(snapshotOf(siteWith(292), charging(cars), first), policy, T0 + 30_000);

      // Assert: before, the 1-phase car was cut 2 A and the room went to nobody
      expect(ampsByRef(first)['CP21/1']).toBe(30);
      expect(ampsByRef(first)['CP1/1']).toBe(14.5);
      expect(ampsByRef(second)).toEqual(ampsByRef(first));
    });

    it('should still hold back changes that only move current between equal cars', () => {
      // Arrange: two equal cars at 7.5 A each; CP1's cable now allows 7.3 A, so the fair split would be 7.3/7.7.
      const policy = policyOf(15);
      const siteWith = (cp1MaxAmps: number) =>
        siteOf(100, [
          { id: 'CP1', phases: 3, maxAmps: cp1MaxAmps },
          { id: 'CP2', phases: 3, maxAmps: 32 },
        ]);
      const cars = { 'CP1/1': {}, 'CP2/1': {} };
      const first = allocate(snapshotOf(siteWith(32), charging(cars)), policy, T0);

      // Act
      const second = allocate(snapshotOf(siteWith(7.3), charging(cars), first), policy, T0 + 30_000);

      // Assert: CP1 must fall to its new maximum; CP2's small rise is not sent.
      expect(ampsByRef(first)).toEqual({ 'CP1/1': 7.5, 'CP2/1': 7.5 });
      expect(ampsByRef(second)).toEqual({ 'CP1/1': 7.3, 'CP2/1': 7.5 });
    });
  });

  describe('rotation', () => {
    it('should change the paused car once per rotation interval, with a round every 5 s', () => {
      // Arrange: room for two of three cars.
      const site = siteOf(100, [
        { id: 'CP1', phases: 3, maxAmps: 32 },
        { id: 'CP2', phases: 3, maxAmps: 32 },
        { id: 'CP3', phases: 3, maxAmps: 32 },
      ]);
      const policy = policyOf(15, {
        rotation: { intervalSeconds: 900 },
        hysteresis: { stepAmps: 1, minPauseSeconds: 60, minActiveSeconds: 120 },
      });
      const cars = { 'CP1/1': { energyWh: 1000 }, 'CP2/1': { energyWh: 2000 }, 'CP3/1': { energyWh: 3000 } };

      // Act: two hours of rounds every 5 s; count the rounds in which a different car waits.
      let previous: Allocation | undefined;
      let changes = 0;
      let pausedBefore = '';
      for (let now = T0; now < T0 + 2 * 3_600_000; now += 5_000) {
        previous = allocate(snapshotOf(site, charging(cars, now), previous), policy, now);
        expect(safetyViolations(snapshotOf(site, charging(cars, now)), policy, previous, now)).toEqual([]);
        const paused = previous.connectors
          .filter((c) => c.activity === 'paused')
          .map((c) => c.ref)
          .join();
        if (now >= T0 + 3_600_000 && paused !== pausedBefore) changes++;
        pausedBefore = paused;
      }

      // Assert: 3600 s / 900 s = 4 rotations in the second hour.
      expect(changes).toBe(4);
    });
  });

  describe('strict prioritised distribution', () => {
    it.each([
      ['priority', { 'CP1/1': 18, 'CP2/1': 18, 'CP3/1': 18, 'CP4/1': 6, 'CP5/1': 6, 'CP6/1': 6 }, 'priority'],
      [
        'priorityStrict',
        { 'CP1/1': 24, 'CP2/1': 24, 'CP3/1': 24, 'CP4/1': 0, 'CP5/1': 0, 'CP6/1': 0 },
        'cappedByCharger',
      ],
    ] as const)('should serve priority users as distribution "%s" says', (distribution, expected, reason) => {
      // Arrange: three priority users and three others on a 72 A budget; chargers give at most 24 A.
      const site = siteOf(
        100,
        [1, 2, 3, 4, 5, 6].map((k) => ({ id: `CP${k}`, phases: 3 as const, maxAmps: 24 })),
      );
      const policy = policyOf(72, {
        distribution,
        priorityLevels: [{ level: 5, connectors: ['CP1/1', 'CP2/1', 'CP3/1'] }],
      });
      const cars = Object.fromEntries([1, 2, 3, 4, 5, 6].map((k) => [`CP${k}/1`, {}]));

      // Act
      const allocation = allocate(snapshotOf(site, charging(cars)), policy, T0);

      // Assert
      expect(ampsByRef(allocation)).toEqual(expected);
      expect(allocation.connectors[0]!.reason).toBe(reason);
    });

    it('should let lower classes share what the priority users leave, and pause those it has no minimum for', () => {
      // Arrange: one priority user capped at 32 A by its charger, three others, 48 A per phase.
      const site = siteOf(100, [
        { id: 'CP1', phases: 3, maxAmps: 32 },
        { id: 'CP2', phases: 3, maxAmps: 32 },
        { id: 'CP3', phases: 3, maxAmps: 32 },
        { id: 'CP4', phases: 3, maxAmps: 32 },
      ]);
      const policy = policyOf(48, {
        distribution: 'priorityStrict',
        priorityLevels: [{ level: 5, idTags: ['PRIO-1'] }],
      });

      // Act
      const allocation = allocate(
        snapshotOf(
          site,
          charging({
            'CP1/1': { idTag: 'PRIO-1' },
            'CP2/1': { energyWh: 100 },
            'CP3/1': { energyWh: 5000 },
            'CP4/1': {},
          }),
        ),
        policy,
        T0,
      );

      // Assert: 16 A are left, enough for two minimums; the car with most energy waits.
      expect(ampsByRef(allocation)).toEqual({ 'CP1/1': 32, 'CP2/1': 8, 'CP3/1': 0, 'CP4/1': 8 });
    });
  });
});
