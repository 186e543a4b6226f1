/** The allocate command's logic: read a trial file, validate it, allocate and render. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { allocate } from '../../shared/allocation/allocate';
import { parseWith } from '../../shared/validation';
import { budgetLine, circuitTable, connectorTable } from './allocation-table';
import { TrialFileSchema, trialSnapshot } from './trial-file';

const USAGE = 'usage: npm run allocate -- <trial.json> [--json]';

/** Runs the command; returns the process exit code (0 ok, 2 bad input). */
export async function runAllocateCommand(args: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    out(USAGE);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    err(USAGE);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    err(`${file}: ${(error as Error).message}`);
    return 2;
  }
  const trial = parseWith(TrialFileSchema, json);
  if (!trial.ok) {
    err(`${file}: ${trial.issues.length} error(s)\n${trial.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    return 2;
  }
  const { snapshot, policy, now } = trialSnapshot(trial.value, Date.now());
  const allocation = allocate(snapshot, policy, now);
  if (parsed.values.json) out(JSON.stringify(allocation, null, 2));
  else out([connectorTable(allocation), '', circuitTable(allocation), '', budgetLine(allocation)].join('\n'));
  return 0;
}
