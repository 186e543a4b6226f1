import { describe, expect, it } from 'vitest';
import { budgetBreaches, countNonNullAssertions, totalsByFolder } from '../../../scripts/count-non-null';

describe('non-null fence (scripts/count-non-null.ts)', () => {
  it('should count each non-null assertion and nothing else that is spelled with `!`', () => {
    const source = [
      'declare const list: number[];',
      'declare const map: Map<string, { watts: number }>;',
      'declare let flag: boolean;',
      'let late!: number;', // a definite-assignment assertion, not a non-null assertion
      'const first = list[0]!;', // 1
      'const watts = map.get("a")!.watts;', // 2
      'const sum = list[1]! + list[2]!;', // 4
      'const chained = map.get("b")!.watts!;', // 6
      'const negated = !flag && list[0] !== 1;',
      'late = first + watts + sum + chained;',
      'export { late, negated };',
    ].join('\n');

    expect(countNonNullAssertions(source)).toBe(6);
  });

  it('should count an assertion that spans lines and one inside a template', () => {
    const source = 'declare const a: { b?: { c: number } };\nexport const c = `${a\n  .b!\n  .c}`;';

    expect(countNonNullAssertions(source)).toBe(1);
  });

  it('should sum files by top-level folder, listing every counted folder', () => {
    const totals = totalsByFolder(
      new Map([
        ['shared/allocation/water-fill.ts', 3],
        ['shared/units.ts', 1],
        ['edge/main.ts', 2],
      ]),
      ['shared', 'edge', 'sim'],
    );

    expect([...totals]).toEqual([
      ['shared', 4],
      ['edge', 2],
      ['sim', 0],
    ]);
  });

  it('should fail a folder over its budget and pass one at or under it', () => {
    const totals = new Map([
      ['shared', 467],
      ['edge', 99],
      ['sim', 10],
    ]);

    expect(budgetBreaches(totals, { shared: 466, sim: 10 })).toEqual([{ folder: 'shared', count: 467, budget: 466 }]);
    expect(budgetBreaches(totals, { shared: 467, browser: 0 })).toEqual([]);
  });
});
