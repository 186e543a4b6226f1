import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, inProcess, limits, runJson, tempFile } from './command-harness';

const T0 = '2026-11-20T08:00:00Z';

/**
 * Two 32 A chargers on a 50 A fuse: they share it (25 A each) while nothing is measured, so the room closed loop frees
 * goes to the other (a cap nobody uses is not sent).
 */
function twoChargers(policy: object = {}, extra: object = {}) {
  return {
    $schemaVersion: 1,
    site: {
      $schemaVersion: 1,
      id: 's',
      circuits: [{ id: 'grid', parent: null, fuseAmps: 50 }],
      chargers: [
        { id: 'A', circuit: 'grid', phases: 3, maxAmps: 32 },
        { id: 'B', circuit: 'grid', phases: 3, maxAmps: 32 },
      ],
    },
    policy: { $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 70 }, closedLoop: { enabled: true }, ...policy },
    state: { at: T0 },
    ...extra,
  };
}

describe('npm run allocate: later rounds', () => {
  it('should cap a car drawing 10 A of a 32 A offer under closed loop in round 2', async () => {
    const file = await tempFile(
      twoChargers(
        {},
        {
          rounds: [
            {
              afterSeconds: 60,
              measurements: [
                { ref: 'A/1', amps: 10 },
                { ref: 'B/1', amps: 32 },
              ],
            },
          ],
        },
      ),
    );

    const output = await runJson([file]);

    expect(output.rounds.map((r) => r.at)).toEqual(['2026-11-20T08:00:00.000Z', '2026-11-20T08:01:00.000Z']);
    expect(limits(output.rounds[0]!.allocation.connectors)).toEqual(['A/1: 25 fairShare', 'B/1: 25 fairShare']);
    expect(limits(output.rounds[1]!.allocation.connectors)).toEqual(['A/1: 11 cappedByCar', 'B/1: 32 cappedByCharger']);
    expect(output.warnings).toEqual([]);
  });

  it('should leave the car at its offer when closed loop is off', async () => {
    const file = await tempFile(
      twoChargers(
        { closedLoop: { enabled: false } },
        { rounds: [{ afterSeconds: 60, measurements: [{ ref: 'A/1', amps: 10 }] }] },
      ),
    );

    const output = await runJson([file]);

    expect(limits(output.rounds[1]!.allocation.connectors)).toEqual(['A/1: 25 fairShare', 'B/1: 25 fairShare']);
  });

  it('should take a measurement per charger phase, and a measurement time of its own', async () => {
    // Taken 5 s after round 1, before the 15 s settle time: closed loop does not judge it.
    const early = { ref: 'A/1', amps: [10, 10, 10], at: '2026-11-20T08:00:05Z' };
    const file = await tempFile(
      twoChargers(
        {},
        {
          rounds: [
            { at: '2026-11-20T08:00:30Z', measurements: [early] },
            { afterSeconds: 30, measurements: [{ ref: 'A/1', amps: [10, 9.5, 10] }] },
          ],
        },
      ),
    );

    const output = await runJson([file]);

    expect(limits(output.rounds[1]!.allocation.connectors)[0]).toBe('A/1: 25 fairShare');
    expect(limits(output.rounds[2]!.allocation.connectors)[0]).toBe('A/1: 11 cappedByCar');
  });

  it('should hold a small rise back by hysteresis and let a larger one through', async () => {
    const output = await runJson([example('hysteresis-trial.json')]);

    const [first, small, large, fall] = output.rounds.map((r) => limits(r.allocation.connectors));
    expect(first).toEqual(['O-01/1: 20 fairShare', 'O-02/1: 20 fairShare']);
    expect(small).toEqual(['O-01/1: 20 hysteresis', 'O-02/1: 20 hysteresis']);
    expect(large).toEqual(['O-01/1: 22.5 fairShare', 'O-02/1: 22.5 fairShare']);
    expect(fall).toEqual(['O-01/1: 17 fairShare', 'O-02/1: 17 fairShare']);
  });

  it('should show closed loop capping a car, the others taking what it leaves, and the cap released', async () => {
    const output = await runJson([example('closed-loop-trial.json')]);

    expect(output.rounds.map((r) => limits(r.allocation.connectors))).toEqual([
      ['D-01/1: 21 fairShare', 'D-02/1: 21 fairShare', 'D-03/1: 21 fairShare'],
      ['D-01/1: 11 cappedByCar', 'D-02/1: 26 fairShare', 'D-03/1: 26 fairShare'],
      ['D-01/1: 21 fairShare', 'D-02/1: 21 fairShare', 'D-03/1: 21 fairShare'],
    ]);
  });

  it('should rotate the waiting car in once the rotation interval has passed, not before', async () => {
    const output = await runJson([example('rotation-trial.json')]);

    const activity = output.rounds.map((r) =>
      r.allocation.connectors.map((c) => `${c.ref}: ${c.activity} ${c.reason}`),
    );
    expect(activity[0]).toContain('H-03/1: paused pausedNoBudget');
    expect(activity[1]).toEqual(activity[0]);
    expect(activity[2]).toContain('H-03/1: active fairShare');
    expect(activity[2]).toContain('H-02/1: paused rotatedOut');
  });

  it('should print every round with the limit it had before', async () => {
    const result = await inProcess([example('closed-loop-trial.json')]);

    expect(result.code).toBe(0);
    expect(result.out).toContain('round 2 at 2026-11-20T08:01:00.000Z (60 s after round 1)');
    expect(result.out).toMatch(
      /^connector\s+phases\s+L1 A\s+L2 A\s+L3 A\s+limit A\s+was A\s+state\s+reason\s+bound by$/m,
    );
    expect(result.out).toMatch(/^D-01\/1\s+3\s+11\.0\s+11\.0\s+11\.0\s+11\.0\s+21\.0\s+active\s+cappedByCar\s+car$/m);
  });
});

describe('npm run allocate: --previous, --at and --out', () => {
  it('should start from an allocation it wrote with --out, at the time given with --at', async () => {
    const roundOne = await tempFile(twoChargers());
    const saved = join(dirname(roundOne), 'allocation.json');
    expect((await inProcess([roundOne, '--out', saved])).code).toBe(0);
    const measured = await tempFile(twoChargers({}, { state: { measurements: [{ ref: 'A/1', amps: 10 }] } }));

    const output = await runJson([measured, '--previous', saved, '--at', '2026-11-20T09:01:00+01:00']);

    expect(output.rounds.map((r) => r.at)).toEqual(['2026-11-20T08:01:00.000Z']);
    expect(limits(output.rounds[0]!.allocation.connectors)).toEqual(['A/1: 11 cappedByCar', 'B/1: 32 cappedByCharger']);
  });

  it('should take the last round of a --json output as the previous allocation', async () => {
    const firstRun = await inProcess([example('closed-loop-trial.json'), '--json']);
    const previous = await tempFile(firstRun.out, 'output.json');
    const trial = JSON.parse(await readFile(example('closed-loop-trial.json'), 'utf8')) as Record<string, unknown>;
    const next = await tempFile({
      ...trial,
      state: { at: '2026-11-20T08:02:30Z', measurements: [{ ref: 'D-02/1', amps: 8 }] },
      rounds: [],
    });

    const output = await runJson([next, '--previous', previous]);

    expect(limits(output.rounds[0]!.allocation.connectors)).toEqual([
      'D-01/1: 27 fairShare',
      'D-02/1: 9 cappedByCar',
      'D-03/1: 27 fairShare',
    ]);
  });

  it('should show the previous limit in round 1 when started from a previous allocation', async () => {
    const saved = await tempFile('', 'allocation.json');
    await inProcess([await tempFile(twoChargers()), '--out', saved]);

    const result = await inProcess([
      await tempFile(twoChargers()),
      '--previous',
      saved,
      '--at',
      '2026-11-20T08:00:30Z',
    ]);

    expect(result.out).toContain('round 1 at 2026-11-20T08:00:30.000Z (30 s after the previous allocation)');
    expect(result.out).toMatch(/^A\/1\s+3\s+25\.0\s+25\.0\s+25\.0\s+25\.0\s+25\.0\s+active/m);
  });

  it('should list every bad field of a --previous file with its path and exit 2', async () => {
    const previous = await tempFile(
      {
        at: -1,
        connectors: [{ ref: 'A/1', amps: 'ten' }],
        circuits: [],
        budget: { unit: 'W', value: 1, source: 'static' },
        totalAmps: [0, 0, 0],
      },
      'allocation.json',
    );

    const result = await inProcess([await tempFile(twoChargers()), '--previous', previous]);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/allocation\.json: \d+ error\(s\)/);
    expect(result.err).toContain('  at: ');
    expect(result.err).toContain('  connectors[0].amps: ');
    expect(result.err).toContain('  connectors[0].activity: ');
    expect(result.err).toContain('  budget.unit: ');
  });

  it.each([
    ['an --at that is not a time', ['--at', 'tomorrow'], '--at: expected an ISO date-time'],
    ['a missing --previous file', ['--previous', '/nonexistent/allocation.json'], 'ENOENT'],
  ])('should refuse %s with exit code 2', async (_name, args, message) => {
    const result = await inProcess([await tempFile(twoChargers()), ...args]);

    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('should list bad rounds with their paths and exit 2', async () => {
    const rounds = [
      { measurements: [{ ref: 'A/1', amps: -3 }] },
      { afterSeconds: 10, at: T0 },
      { afterSeconds: 10, meters: [{ meterId: 'm', amps: [1, 2] }] },
    ];

    const result = await inProcess([await tempFile(twoChargers({}, { rounds }))]);

    expect(result.code).toBe(2);
    expect(result.err).toContain('rounds[0].at: give either "at" or "afterSeconds"');
    expect(result.err).toContain('rounds[0].measurements[0].amps');
    expect(result.err).toContain('rounds[1].at: give either "at" or "afterSeconds"');
    expect(result.err).toContain('rounds[2].meters[0].amps');
  });

  it('should refuse a round that is not after the one before', async () => {
    const result = await inProcess([
      await tempFile(twoChargers({}, { rounds: [{ afterSeconds: 60 }, { at: '2026-11-20T08:00:30Z' }] })),
    ]);

    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'rounds[1].at: 2026-11-20T08:00:30.000Z is not after the round before (2026-11-20T08:01:00.000Z)',
    );
  });
});
