/** Turns raw 16-bit register words into numbers: word order, signedness, width and scale. Pure. */
import { WORDS_OF, type RegisterField, type RegisterMap, type RegisterType, type WordOrder } from './register-map';
import type { ReadBlock } from './read-plan';

/** Three values in L1, L2, L3 order. */
export type PhaseTriple = readonly [number, number, number];

/** One poll's measurements in SI units; positive watts are import from the grid. */
export interface MeterValues {
  readonly volts: PhaseTriple;
  readonly amps: PhaseTriple;
  readonly watts: PhaseTriple;
  readonly totalWatts: number;
  readonly importWh: number;
}

/** Decodes `words` (exactly the type's width) into a number, before scaling. */
export function decodeWords(words: readonly number[], type: RegisterType, wordOrder: WordOrder): number {
  const width = WORDS_OF[type];
  if (words.length !== width) throw new RangeError(`${type} needs ${width} words, got ${words.length}`);
  const ordered = wordOrder === 'high-first' ? words : [...words].reverse();
  const view = new DataView(new ArrayBuffer(width * 2));
  ordered.forEach((word, i) => view.setUint16(i * 2, word & 0xffff));
  switch (type) {
    case 'int16':
      return view.getInt16(0);
    case 'uint16':
      return view.getUint16(0);
    case 'int32':
      return view.getInt32(0);
    case 'uint32':
      return view.getUint32(0);
    case 'float32':
      return view.getFloat32(0);
    case 'int64':
      return Number(view.getBigInt64(0));
    case 'uint64':
      return Number(view.getBigUint64(0));
    case 'float64':
      return view.getFloat64(0);
  }
}

/** Decodes and scales one field, given the words of the block that holds it. */
export function decodeField(
  field: RegisterField,
  wordOrder: WordOrder,
  block: ReadBlock,
  blockWords: readonly number[],
): number {
  const offset = field.address - block.address;
  const words = blockWords.slice(offset, offset + WORDS_OF[field.type]);
  return decodeWords(words, field.type, wordOrder) * field.scale;
}

/**
 * Decodes a whole poll: `words[i]` are the registers read for `blocks[i]` (see `planReads`).
 * Throws a RangeError when a block came back shorter than planned; values may be NaN or absurd, which validation judges.
 */
export function decodeMeterValues(
  map: RegisterMap,
  blocks: readonly ReadBlock[],
  words: readonly (readonly number[])[],
): MeterValues {
  const valueOf = (field: RegisterField): number => {
    const index = blocks.findIndex(
      (b) => field.address >= b.address && field.address + WORDS_OF[field.type] <= b.address + b.count,
    );
    const block = blocks[index];
    const blockWords = words[index];
    if (block === undefined || blockWords === undefined)
      throw new RangeError(`no read covers register ${field.address}`);
    if (blockWords.length !== block.count)
      throw new RangeError(`read at ${block.address} returned ${blockWords.length} of ${block.count} registers`);
    return decodeField(field, map.wordOrder, block, blockWords);
  };
  const triple = (fields: RegisterMap['fields']['volts']): PhaseTriple => [
    valueOf(fields[0]),
    valueOf(fields[1]),
    valueOf(fields[2]),
  ];
  return {
    volts: triple(map.fields.volts),
    amps: triple(map.fields.amps),
    watts: triple(map.fields.watts),
    totalWatts: valueOf(map.fields.totalWatts),
    importWh: valueOf(map.fields.importWh),
  };
}
