/**
 * Janitza UMG 96RM: "UMG 96RM Modbus address list" (Janitza electronics, frequently used values)
 * (cross-checked with OpenEMS's UMG 96RM-E meter, io.openems.edge.meter.janitza/.../MeterJanitzaUmg96rmeImpl.java, which reads
 * the same float registers with FC03; volkszaehler/mbmd's janitza.go is the B-series, not this meter).
 * float32, high word first, function code 03: 19000-19004 U L-N, 19012-19016 I, 19020-19024 P per phase, 19026 P sum,
 * 19068 consumed (imported) real energy L1..L3 in Wh. 19000-19027 is one contiguous block.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const JANITZA_UMG96RM: MeterModel = {
  id: 'janitza-umg96rm',
  name: 'Janitza UMG 96RM',
  source: 'Janitza "UMG 96RM Modbus address list", addresses 19000-19026, 19068',
  map: defineRegisterMap({
    functionCode: 3,
    wordOrder: 'high-first',
    maxGapRegisters: 0,
    fields: {
      volts: phaseFields(19000, 2, 'float32', 1),
      amps: phaseFields(19012, 2, 'float32', 1),
      watts: phaseFields(19020, 2, 'float32', 1),
      totalWatts: { address: 19026, type: 'float32', scale: 1 },
      importWh: { address: 19068, type: 'float32', scale: 1 },
    },
  }),
};
