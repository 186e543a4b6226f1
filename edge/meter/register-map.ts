/** A meter's register map as data: where each quantity lives and how its words turn into SI units. */
import { z } from 'zod';
import { addReasonedIssue } from '../../shared/reasoned-issue';

/** Register data types found in energy-meter tables; the number is the count of 16-bit words. */
export const REGISTER_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64'] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];

/** Words per register data type. */
export const WORDS_OF: Readonly<Record<RegisterType, number>> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  int64: 4,
  uint64: 4,
  float64: 4,
};

/**
 * `high-first`: the most significant word comes first (Modbus "big-endian", e.g. Eastron, ABB, Janitza, Siemens).
 * `low-first`: the least significant word comes first (e.g. Carlo Gavazzi "LSW first"). Bytes within a word are always big-endian.
 */
export const WORD_ORDERS = ['high-first', 'low-first'] as const;
export type WordOrder = (typeof WORD_ORDERS)[number];

/** Read holding registers (3) or input registers (4). */
export const FunctionCodeSchema = z.union([z.literal(3), z.literal(4)]);
export type FunctionCode = z.output<typeof FunctionCodeSchema>;

export const RegisterFieldSchema = z
  .object({
    /** 0-based register address as sent in the Modbus PDU (not the 3xxxx/4xxxx "reference"). */
    address: z.number().int().min(0).max(0xffff),
    type: z.enum(REGISTER_TYPES),
    /** Multiplies the decoded number into SI units: volts, amps, watts, watt-hours (e.g. 1000 for kWh, 0.1 for "V x 10"). */
    scale: z
      .number()
      .finite()
      .superRefine((n, ctx) => {
        if (n === 0) addReasonedIssue(ctx, [], 'meterSettings.scaleZero');
      }),
  })
  .strict();
export type RegisterField = z.output<typeof RegisterFieldSchema>;

const PhaseFieldsSchema = z.tuple([RegisterFieldSchema, RegisterFieldSchema, RegisterFieldSchema]);

export const RegisterMapSchema = z
  .object({
    functionCode: FunctionCodeSchema,
    wordOrder: z.enum(WORD_ORDERS),
    /** Largest hole of unused registers worth reading through to save a request (0: only contiguous fields share a read). */
    maxGapRegisters: z.number().int().min(0).max(120).default(0),
    /** Largest read the meter accepts (the Modbus limit is 125). */
    maxRegistersPerRead: z.number().int().min(1).max(125).default(125),
    fields: z
      .object({
        /** Line-to-neutral voltage of L1, L2, L3. */
        volts: PhaseFieldsSchema,
        amps: PhaseFieldsSchema,
        /** Signed active power per phase: positive is import from the grid. */
        watts: PhaseFieldsSchema,
        totalWatts: RegisterFieldSchema,
        /** Imported active energy, total of all phases. */
        importWh: RegisterFieldSchema,
      })
      .strict(),
  })
  .strict()
  .superRefine((map, ctx) => {
    for (const [path, field] of namedFields(map.fields)) {
      const end = field.address + WORDS_OF[field.type];
      if (end > 0x10000) addReasonedIssue(ctx, ['fields', ...path, 'address'], 'meterSettings.pastLastAddress');
      if (WORDS_OF[field.type] > map.maxRegistersPerRead)
        addReasonedIssue(ctx, ['fields', ...path, 'type'], 'meterSettings.tooManyWords', {
          maximum: map.maxRegistersPerRead,
        });
    }
  });
export type RegisterMapInput = z.input<typeof RegisterMapSchema>;
export type RegisterMap = z.output<typeof RegisterMapSchema>;
export type RegisterMapFields = RegisterMap['fields'];

/** Every field of a map with its path inside `fields`, e.g. `[['volts', 0], field]`. */
export function namedFields(fields: RegisterMapFields): Array<[readonly (string | number)[], RegisterField]> {
  const out: Array<[readonly (string | number)[], RegisterField]> = [];
  for (const key of ['volts', 'amps', 'watts'] as const) fields[key].forEach((f, i) => out.push([[key, i], f]));
  out.push([['totalWatts'], fields.totalWatts], [['importWh'], fields.importWh]);
  return out;
}

/** Builds a built-in map from literal data, checking it with the same schema as an installer's custom map. */
export function defineRegisterMap(input: RegisterMapInput): RegisterMap {
  return RegisterMapSchema.parse(input);
}

/** Three fields of one type and scale, `stride` registers apart, starting at L1's address. */
export function phaseFields(
  l1Address: number,
  stride: number,
  type: RegisterType,
  scale: number,
): [RegisterField, RegisterField, RegisterField] {
  const at = (i: number): RegisterField => ({ address: l1Address + i * stride, type, scale });
  return [at(0), at(1), at(2)];
}

/** A supported meter model: its map and the vendor document the map was checked against. */
export interface MeterModel {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly map: RegisterMap;
}
