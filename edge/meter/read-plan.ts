/** Groups a map's registers into as few Modbus reads as the meter allows. Pure. */
import { WORDS_OF, namedFields, type RegisterMap } from './register-map';

/** One Modbus read: `count` registers from `address`. */
export interface ReadBlock {
  readonly address: number;
  readonly count: number;
}

/**
 * Merges field spans in address order while the hole between them is at most `maxGapRegisters`
 * and the read stays within `maxRegistersPerRead`.
 */
export function planReads(map: RegisterMap): ReadBlock[] {
  const blocks: Array<{ address: number; count: number }> = [];
  for (const span of fieldSpans(map)) {
    const last = blocks.at(-1);
    if (last !== undefined) {
      const lastEnd = last.address + last.count;
      const end = Math.max(lastEnd, span.address + span.count);
      if (span.address - lastEnd <= map.maxGapRegisters && end - last.address <= map.maxRegistersPerRead) {
        last.count = end - last.address;
        continue;
      }
    }
    blocks.push({ ...span });
  }
  return blocks;
}

function fieldSpans(map: RegisterMap): Array<{ address: number; count: number }> {
  return namedFields(map.fields)
    .map(([, f]) => ({ address: f.address, count: WORDS_OF[f.type] }))
    .sort((a, b) => a.address - b.address);
}
