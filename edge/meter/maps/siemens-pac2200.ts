/**
 * Siemens SENTRON PAC2200: "SENTRON Power Monitoring Device PAC2200 Manual" (Siemens, A5E36261958), "Modbus measured variables".
 * Offsets 1/3/5 voltage a-n, 13/15/17 current, 25/27/29 active power per phase, 65 total active power (float32, high word first),
 * 801 active energy import tariff 1 (double, Wh). Function code 04 (03 answers the same); tariff 2 (805) is not added,
 * so a two-tariff installation needs a custom map or only tariff 1 in use.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const SIEMENS_PAC2200: MeterModel = {
  id: 'siemens-pac2200',
  name: 'Siemens SENTRON PAC2200',
  source: 'Siemens "SENTRON PAC2200 Manual" A5E36261958, Modbus offsets 1-29, 65, 801',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'high-first',
    maxGapRegisters: 8,
    fields: {
      volts: phaseFields(1, 2, 'float32', 1),
      amps: phaseFields(13, 2, 'float32', 1),
      watts: phaseFields(25, 2, 'float32', 1),
      totalWatts: { address: 65, type: 'float32', scale: 1 },
      importWh: { address: 801, type: 'float64', scale: 1 },
    },
  }),
};
