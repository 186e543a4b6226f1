/** The allocate command's logic: read a trial file (and a previous allocation), validate, warn, allocate and render. */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Allocator } from '../../shared/allocation/allocator';
import type { Allocation } from '../../shared/allocation/allocation-types';
import { demandPreview, type DemandPreview } from '../../shared/demand/demand-preview';
import type { FieldIssue } from '../../shared/errors';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Site } from '../../shared/site/site-schema';
import { parseWith } from '../../shared/validation';
import { budgetLine, circuitTable, connectorTable, demandLine, warningLines } from './allocation-table';
import { parsePreviousAllocation } from './previous-allocation';
import { TrialFileSchema } from './trial-file';
import { trialRounds, type TrialRoundInput } from './trial-rounds';
import { trialWarnings } from './trial-warnings';

const USAGE =
  'usage: npm run allocate -- <trial.json> [--at <ISO time>] [--previous <allocation.json>] [--out <allocation.json>] [--json]';

const OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
  at: { type: 'string' },
  previous: { type: 'string' },
  out: { type: 'string' },
} as const;

type Parsed<T> = { ok: true; value: T } | { ok: false; issues: readonly FieldIssue[] };

/** One allocated round and the allocation it started from. */
interface RoundResult {
  readonly allocation: Allocation;
  readonly previous: Allocation | undefined;
}

/** Runs the command; returns the process exit code (0 ok, with or without warnings; 2 bad input). */
export async function runAllocateCommand(
  args: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    err(USAGE);
    return 2;
  }
  const at = values.at === undefined ? undefined : z.iso.datetime({ offset: true }).safeParse(values.at);
  if (at && !at.success) {
    err(`--at: expected an ISO date-time, e.g. 2026-11-20T08:30:00+01:00, got "${values.at}"`);
    return 2;
  }
  const trial = await readJsonFile(file, (json) => parseWith(TrialFileSchema, json), err);
  if (!trial) return 2;
  const previous =
    values.previous === undefined ? undefined : await readJsonFile(values.previous, parsePreviousAllocation, err);
  if (values.previous !== undefined && !previous) return 2;
  const rounds = trialRounds(trial, {
    at: at?.data === undefined ? undefined : Date.parse(at.data),
    wallClock: Date.now(),
  });
  if (!rounds.ok) {
    err(issueLines(file, rounds.issues));
    return 2;
  }
  const demandState = trial.state?.demand;
  const demand = demandState && demandPreview(trial.policy, demandState, trial.site.nominalVolts, 'state.demand');
  if (demand && !demand.ok) {
    err(issueLines(file, [demand.issue]));
    return 2;
  }
  const preview = demand?.preview;
  const warnings = [
    ...trialWarnings(trial, previous && { allocation: previous, firstRoundAt: rounds.rounds[0]!.now }),
    ...rounds.warnings,
  ];
  const results = runRounds(trial.site, trial.policy, rounds.rounds, previous, preview);
  if (warnings.length > 0) err(warningLines(warnings));
  if (values.json) {
    const rendered = results.map((r) => ({ at: new Date(r.allocation.at).toISOString(), allocation: r.allocation }));
    out(JSON.stringify({ $schemaVersion: 1, warnings, demand: preview ?? null, rounds: rendered }, null, 2));
  } else {
    out([...(preview ? [demandLine(preview), ''] : []), renderRounds(results, previous !== undefined)].join('\n'));
  }
  if (values.out !== undefined) {
    try {
      await writeFile(values.out, `${JSON.stringify(results[results.length - 1]!.allocation, null, 2)}\n`);
    } catch (error) {
      err(`${values.out}: ${(error as Error).message}`);
      return 2;
    }
  }
  return 0;
}

/**
 * Each round allocated with the one before (the first with `previous`) as its previous allocation; the first under the
 * chargers' cap the demand state gives.
 */
function runRounds(
  site: Site,
  policy: Policy,
  rounds: readonly TrialRoundInput[],
  previous: Allocation | undefined,
  demand: DemandPreview | undefined,
): RoundResult[] {
  const results: RoundResult[] = [];
  // One allocator for the trial, as the control loop holds one: each round reuses what the one before derived.
  const allocator = new Allocator();
  let before = previous;
  for (const [n, round] of rounds.entries()) {
    const allocation = allocator.allocate(
      {
        site,
        connectors: round.connectors,
        meters: round.meters,
        ...(before ? { previous: before } : {}),
        ...(n === 0 && demand ? { chargerPowerCapW: demand.chargersCapKw * 1000 } : {}),
      },
      policy,
      round.now,
    );
    results.push({ allocation, previous: before });
    before = allocation;
  }
  return results;
}

function renderRounds(results: readonly RoundResult[], fromPrevious: boolean): string {
  const tables = (r: RoundResult) => [
    connectorTable(r.allocation, r.previous),
    '',
    circuitTable(r.allocation),
    '',
    budgetLine(r.allocation),
  ];
  if (results.length === 1 && !fromPrevious) return tables(results[0]!).join('\n');
  return results
    .map((r, n) => {
      const at = new Date(r.allocation.at).toISOString();
      const since = r.previous
        ? ` (${Math.round((r.allocation.at - r.previous.at) / 1000)} s after ${n === 0 ? 'the previous allocation' : 'round ' + n})`
        : '';
      return [`round ${n + 1} at ${at}${since}`, ...tables(r)].join('\n');
    })
    .join('\n\n');
}

/** Reads and parses a JSON file; on failure says why (every bad field with its path) and returns undefined. */
async function readJsonFile<T>(
  file: string,
  parse: (json: unknown) => Parsed<T>,
  err: (text: string) => void,
): Promise<T | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    err(`${file}: ${(error as Error).message}`);
    return undefined;
  }
  const result = parse(json);
  if (result.ok) return result.value;
  err(issueLines(file, result.issues));
  return undefined;
}

function issueLines(file: string, issues: readonly FieldIssue[]): string {
  return `${file}: ${issues.length} error(s)\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`;
}
