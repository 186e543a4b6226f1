import { describe, expect, it } from 'vitest';
import { example, inProcess, runJson, tempFile } from './command-harness';

interface ChargerInput {
  id: string;
  phases: 1 | 3;
  maxAmps?: number;
  phaseRotation?: string;
  connectors?: Array<{ id: number; maxAmps?: number }>;
  circuit?: string;
}

function trial(options: {
  fuseAmps?: number | number[];
  chargers: ChargerInput[];
  policy?: object;
  state?: object;
  rounds?: object[];
  circuits?: object[];
}) {
  return {
    $schemaVersion: 1,
    site: {
      $schemaVersion: 1,
      id: 'site',
      circuits: options.circuits ?? [
        { id: 'grid', parent: null, fuseAmps: options.fuseAmps ?? 100, meterId: 'grid-meter' },
      ],
      chargers: options.chargers.map((c) => ({ circuit: 'grid', maxAmps: 32, ...c })),
    },
    policy: { $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 100 }, ...options.policy },
    ...(options.state ? { state: { at: '2026-11-20T08:00:00Z', ...options.state } } : {}),
    ...(options.rounds ? { rounds: options.rounds } : {}),
  };
}

const threePhase = (id: string, extra: Partial<ChargerInput> = {}): ChargerInput => ({ id, phases: 3, ...extra });
const onePhase = (id: string, phaseRotation: string): ChargerInput => ({ id, phases: 1, phaseRotation });
const charging = (ref: string) => ({ ref, status: 'Charging', session: { id: `s-${ref}`, startedAt: 1795161600000 } });

async function warningsOf(file: object) {
  const output = await runJson([await tempFile(file)]);
  return output.warnings;
}

describe('npm run allocate: fail-safe currents against the fuses', () => {
  it.each([
    [
      'three 3-phase chargers at 6 A on a 16 A fuse',
      { fuseAmps: 16, chargers: [threePhase('A'), threePhase('B'), threePhase('C')] },
      ['18.0 A on L1 (fuse 16 A), 18.0 A on L2 (fuse 16 A), 18.0 A on L3 (fuse 16 A)'],
    ],
    [
      '1-phase chargers rotated onto every phase',
      {
        fuseAmps: 16,
        chargers: [onePhase('A', 'L1L2L3'), onePhase('B', 'L2L3L1'), onePhase('C', 'L3L1L2')],
        policy: { failSafe: { connectorAmps: 10 } },
      },
      [],
    ],
    [
      '1-phase chargers all wired to L2',
      {
        fuseAmps: 16,
        chargers: [onePhase('A', 'L2L1L3'), onePhase('B', 'L2L3L1'), onePhase('C', 'L2L1L3')],
        policy: { failSafe: { connectorAmps: 10 } },
      },
      ['30.0 A on L2 (fuse 16 A)'],
    ],
    [
      'a fuse per phase lower on L3',
      { fuseAmps: [32, 32, 10], chargers: [threePhase('A'), threePhase('B')] },
      ['12.0 A on L3 (fuse 10 A)'],
    ],
    [
      'a fail-safe current above the chargers\u2019 maximum',
      {
        fuseAmps: 20,
        chargers: [threePhase('A', { maxAmps: 10 }), threePhase('B', { maxAmps: 10 })],
        policy: { failSafe: { connectorAmps: 16 } },
      },
      [],
    ],
    [
      'two connectors sharing a charger\u2019s maximum',
      { fuseAmps: 11, chargers: [threePhase('A', { maxAmps: 10, connectors: [{ id: 1 }, { id: 2 }] })] },
      [],
    ],
    [
      'two connectors with cables of their own',
      {
        fuseAmps: 11,
        chargers: [
          threePhase('A', {
            connectors: [
              { id: 1, maxAmps: 6 },
              { id: 2, maxAmps: 16 },
            ],
          }),
        ],
        policy: { failSafe: { connectorAmps: 10 } },
      },
      ['16.0 A on L1 (fuse 11 A), 16.0 A on L2 (fuse 11 A), 16.0 A on L3 (fuse 11 A)'],
    ],
    [
      'a fail-safe current of 0',
      { fuseAmps: 1, chargers: [threePhase('A'), threePhase('B')], policy: { failSafe: { connectorAmps: 0 } } },
      [],
    ],
  ])('should judge %s', async (_name, options, expected) => {
    const warnings = await warningsOf(trial(options));

    expect(
      warnings
        .filter((w) => w.code === 'failSafe.aboveFuse')
        .map((w) => w.message.replace(/.* add up to (.*): if the agent.*/, '$1')),
    ).toEqual(expected);
  });

  it('should count every charger under a sub-circuit against it and against its parents', async () => {
    const circuits = [
      { id: 'grid', parent: null, fuseAmps: 40 },
      { id: 'garage', parent: 'grid', fuseAmps: 20 },
      { id: 'yard', parent: 'grid', fuseAmps: 25 },
    ];
    const chargers = [
      threePhase('G1', { circuit: 'garage' }),
      threePhase('G2', { circuit: 'garage' }),
      threePhase('G3', { circuit: 'garage' }),
      threePhase('Y1', { circuit: 'yard' }),
      threePhase('Y2', { circuit: 'yard' }),
      threePhase('Y3', { circuit: 'yard' }),
      threePhase('Y4', { circuit: 'yard' }),
    ];

    const warnings = await warningsOf(trial({ circuits, chargers, policy: { failSafe: { connectorAmps: 7 } } }));

    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['failSafe.aboveFuse', 'site.circuits[0].fuseAmps'],
      ['failSafe.aboveFuse', 'site.circuits[1].fuseAmps'],
      ['failSafe.aboveFuse', 'site.circuits[2].fuseAmps'],
    ]);
    expect(warnings[0]!.message).toContain(
      'circuit "grid": the fail-safe currents of its 7 connectors (policy.failSafe.connectorAmps 7 A each) add up to 49.0 A on L1',
    );
    expect(warnings[1]!.message).toContain('21.0 A on L1 (fuse 20 A)');
    expect(warnings[2]!.message).toContain('28.0 A on L1 (fuse 25 A)');
  });
});

describe('npm run allocate: connectors and meters the site does not have', () => {
  it('should warn about connectors unknown to the site in the state, VIP and priority lists and measurements', async () => {
    const file = trial({
      chargers: [threePhase('A'), threePhase('B')],
      policy: {
        distribution: 'priority',
        vip: { enabled: true, connectors: ['A/1', 'C/1'] },
        priorityLevels: [{ level: 2, connectors: ['B/1', 'B/2'] }],
      },
      state: { connectors: [charging('A/1'), charging('Z/1')], measurements: [{ ref: 'Y/1', amps: 10 }] },
      rounds: [{ afterSeconds: 30, connectors: [charging('A/2')], measurements: [{ ref: 'A/1', amps: 12 }] }],
    });

    const warnings = await warningsOf(file);

    expect(warnings.filter((w) => w.code === 'connector.unknown').map((w) => `${w.path}: ${w.message}`)).toEqual([
      'policy.vip.connectors[1]: connector "C/1" is not part of this site',
      'policy.priorityLevels[0].connectors[1]: connector "B/2" is not part of this site',
      'state.connectors[1].ref: state of "Z/1" is not a connector of site "site"',
      'state.measurements[0].ref: measurement of "Y/1" is not a connector of site "site"',
      'rounds[0].connectors[0].ref: state of "A/2" is not a connector of site "site"',
    ]);
  });

  it('should warn about the same connector twice in the state, and in a round', async () => {
    const file = trial({
      chargers: [threePhase('A'), threePhase('B')],
      state: { connectors: [charging('A/1'), charging('B/1'), charging('A/1')] },
      rounds: [{ afterSeconds: 30, connectors: [charging('B/1'), { ref: 'B/1', status: 'Available' }] }],
    });

    const warnings = await warningsOf(file);

    expect(warnings.filter((w) => w.code === 'connector.duplicate').map((w) => `${w.path}: ${w.message}`)).toEqual([
      'state.connectors[2].ref: "A/1" is listed twice (also at state.connectors[0].ref); only one of them is used',
      'rounds[0].connectors[1].ref: "B/1" is listed twice (also at rounds[0].connectors[0].ref); only one of them is used',
    ]);
  });

  it('should warn about a meter no circuit has, and a measurement of a connector with no car', async () => {
    const file = trial({
      chargers: [threePhase('A'), threePhase('B')],
      state: { connectors: [charging('A/1')], meters: [{ meterId: 'sub-meter', amps: [1, 1, 1], at: 1795161600000 }] },
      rounds: [
        {
          afterSeconds: 30,
          measurements: [{ ref: 'B/1', amps: 10 }],
          meters: [{ meterId: 'grid-meter', amps: [1, 1, 1] }],
        },
      ],
    });

    const warnings = await warningsOf(file);

    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['meter.unknown', 'state.meters[0].meterId'],
      ['measurement.noSession', 'rounds[0].measurements[0].ref'],
    ]);
  });

  it('should warn about a previous allocation with other connectors, or from after the first round', async () => {
    const site = trial({ chargers: [threePhase('A')], state: {} });
    const saved = await tempFile('', 'allocation.json');
    await inProcess([
      await tempFile(trial({ chargers: [threePhase('A'), threePhase('B')], state: {} })),
      '--out',
      saved,
    ]);

    const output = await runJson([await tempFile(site), '--previous', saved, '--at', '2026-11-20T07:59:00Z']);

    expect(output.warnings.map((w) => [w.code, w.path])).toEqual([
      ['previous.unknownConnector', 'previous.connectors[1].ref'],
      ['previous.later', 'previous.at'],
    ]);
  });
});

describe('npm run allocate: how warnings are given', () => {
  const broken = trial({
    fuseAmps: 10,
    chargers: [threePhase('A'), threePhase('B')],
    state: { connectors: [charging('A/1'), charging('A/1'), charging('X/9')] },
  });

  it('should print every warning on stderr, allocate anyway and exit 0', async () => {
    const result = await inProcess([await tempFile(broken)]);

    expect(result.code).toBe(0);
    expect(result.err).toContain('3 warning(s):');
    expect(result.err).toMatch(
      /^ {2}warning site\.circuits\[0\]\.fuseAmps: circuit "grid": .* \[failSafe\.aboveFuse\]$/m,
    );
    expect(result.err).toContain('  warning state.connectors[1].ref: "A/1" is listed twice');
    expect(result.err).toContain(
      '  warning state.connectors[2].ref: state of "X/9" is not a connector of site "site" [connector.unknown]',
    );
    expect(result.out).toMatch(/^A\/1\s+3\s+10\.0\s+10\.0\s+10\.0\s+active/m);
  });

  it('should list warnings with code, path and message in the --json output', async () => {
    const output = await runJson([await tempFile(broken)]);

    expect(output.code).toBe(0);
    expect(output.warnings.map((w) => Object.keys(w))).toEqual([
      ['code', 'path', 'message'],
      ['code', 'path', 'message'],
      ['code', 'path', 'message'],
    ]);
    expect(output.warnings.map((w) => w.code)).toEqual([
      'failSafe.aboveFuse',
      'connector.duplicate',
      'connector.unknown',
    ]);
    expect(output.rounds[0]!.allocation.connectors[0]!.amps).toBe(10);
  });

  it('should give the four warnings of the example with mistakes', async () => {
    const output = await runJson([example('warnings-trial.json')]);

    expect(output.warnings.map((w) => `${w.code} ${w.path}`)).toEqual([
      'failSafe.aboveFuse site.circuits[1].fuseAmps',
      'connector.unknown policy.vip.connectors[0]',
      'connector.duplicate state.connectors[1].ref',
      'connector.unknown state.connectors[2].ref',
    ]);
    expect(output.warnings[0]!.message).toContain('add up to 30.0 A on L1 (fuse 25 A), 30.0 A on L2 (fuse 25 A)');
  });

  it('should print no warnings for a site that can hold', async () => {
    const result = await inProcess([
      await tempFile(trial({ chargers: [threePhase('A')], state: { connectors: [charging('A/1')] } })),
    ]);

    expect(result.code).toBe(0);
    expect(result.err).toBe('');
  });
});
