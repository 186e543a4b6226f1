/**
 * The non-null fence: counts `!` non-null assertions (`value!`, `list[i]!.watts`) per top-level folder and fails when a
 * folder's count is above its budget in .fences/non-null-budget.json. Each `!` is a claim the type checker cannot see
 * (with `noUncheckedIndexedAccess`, mostly "this index is in range"), so shared/ spends them from a budget that only
 * goes down: when the count falls, lower the budget to it in the same commit.
 *
 * Usage: `tsx scripts/count-non-null.ts` (from the repository root; `npm run fences:non-null`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { z } from 'zod';

/** Top-level folders whose TypeScript is counted (a missing folder counts 0). */
export const COUNTED_FOLDERS = [
  'shared',
  'edge',
  'cloud',
  'sim',
  'browser',
  'infra',
  'scripts',
  'bench',
  'test',
] as const;

/** Paths (relative to the root, `/`-separated) left out: the fence tests' own fixtures. */
const SKIPPED = [/^test\/fixtures\/fences\//, /(^|\/)node_modules\//];

/** The number of non-null assertions (`expr!`) in one TypeScript source text. */
export function countNonNullAssertions(sourceText: string, fileName = 'source.ts'): number {
  const sourceFile = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.NonNullExpression) count += 1;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return count;
}

/** Every `.ts` file (declaration files aside) under `folder`, relative to `root`. */
function typeScriptFiles(root: string, folder: string): string[] {
  if (!existsSync(path.join(root, folder))) return [];
  return readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .map((entry) => path.posix.join(folder, entry.split(path.sep).join('/')))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !SKIPPED.some((skip) => skip.test(file)))
    .sort();
}

/** Non-null assertions per file, for every file with at least one. */
export function countTree(root: string, folders: readonly string[] = COUNTED_FOLDERS): Map<string, number> {
  const counts = new Map<string, number>();
  for (const folder of folders) {
    for (const file of typeScriptFiles(root, folder)) {
      const count = countNonNullAssertions(readFileSync(path.join(root, file), 'utf8'), file);
      if (count > 0) counts.set(file, count);
    }
  }
  return counts;
}

/** Sums per-file counts by top-level folder (every counted folder appears, with 0 if need be). */
export function totalsByFolder(
  counts: ReadonlyMap<string, number>,
  folders: readonly string[] = COUNTED_FOLDERS,
): Map<string, number> {
  const totals = new Map<string, number>(folders.map((folder) => [folder, 0]));
  for (const [file, count] of counts) {
    const folder = file.slice(0, file.indexOf('/'));
    totals.set(folder, (totals.get(folder) ?? 0) + count);
  }
  return totals;
}

/** A folder over its budget. */
export interface BudgetBreach {
  readonly folder: string;
  readonly count: number;
  readonly budget: number;
}

/** The folders whose total is above their budget (folders without a budget are only reported). */
export function budgetBreaches(
  totals: ReadonlyMap<string, number>,
  budget: Readonly<Record<string, number>>,
): BudgetBreach[] {
  return Object.entries(budget)
    .map(([folder, limit]) => ({ folder, count: totals.get(folder) ?? 0, budget: limit }))
    .filter((entry) => entry.count > entry.budget);
}

/** The committed budget file: `{ "<folder>": <most non-null assertions allowed> }`, plus an optional `$comment`. */
const BudgetFileSchema = z.object({ $comment: z.string().optional() }).catchall(z.number().int().nonnegative());

/** Reads the committed budget, by folder. */
export function readBudget(file: string): Record<string, number> {
  const { $comment: _comment, ...budget } = BudgetFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return budget;
}

function main(): void {
  const root = process.cwd();
  const budgetFile = path.join(root, '.fences', 'non-null-budget.json');
  const budget = readBudget(budgetFile);
  const counts = countTree(root);
  const totals = totalsByFolder(counts);

  console.log('Non-null assertions (`!`) per folder:');
  for (const [folder, total] of totals) {
    const limit = budget[folder];
    console.log(
      `  ${folder.padEnd(8)} ${String(total).padStart(5)}${limit === undefined ? '' : `  (budget ${limit})`}`,
    );
  }
  const top = [...counts]
    .filter(([file]) => file.startsWith('shared/'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  if (top.length > 0) console.log(`  most in shared/: ${top.map(([file, count]) => `${file} ${count}`).join(', ')}`);

  for (const [folder, limit] of Object.entries(budget)) {
    const total = totals.get(folder) ?? 0;
    if (total < limit)
      console.log(`${folder}/ is ${limit - total} under budget: lower it to ${total} in .fences/non-null-budget.json.`);
  }
  const breaches = budgetBreaches(totals, budget);
  for (const breach of breaches) {
    console.error(
      `${breach.folder}/ has ${breach.count} non-null assertions, over its budget of ${breach.budget}: prove the value is there (a guard, a checked lookup) instead of asserting it.`,
    );
  }
  if (breaches.length > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
