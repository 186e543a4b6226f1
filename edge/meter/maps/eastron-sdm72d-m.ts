/**
 * Eastron SDM72D-M-2 (second generation, the one with per-phase registers).
 *
 * Checked against the vendor tables:
 * - "Eastron SDM72D-M User Manual V1.1" (B+G e-tech / Eastron Germany), PART 3 Modbus Protocol, Input Registers, page 13:
 *   https://manualshive.com/en/manual/eastron/sdm72dm/522602?page=13
 *   Function code 04; 30001/3/5 phase volts (start address 0000h/0002h/0004h), 30007/9/11 amps (0006h-000Ah),
 *   30013/15/17 active power (000Ch-0010h), 4-byte floats. It lists per-phase registers, so it describes the -2 meter.
 *   "Each request for data must be restricted to 30 parameters or less", i.e. 60 registers.
 * - 30053 "Total system power" (0034h, float, W) and 30073 "Total Import kWh" (0048h, float, kWh): "SDM72D-M User Manual
 *   V1.5" (B+G e-tech), page 14: https://www.easymanua.ls/eastron/sdm72d-m/manual?p=14. That table has only totals
 *   (30053, 30073, 30075, 30343, ...): it is the first-generation meter, which this map reads as invalid (0 V).
 * - Word order is not stated on the pages seen; high word first as in volkszaehler/mbmd meters/rs485/sdm72v2.go.
 * Fixed here: this model used to share the SDM630 map, whose single 74-register read (37 parameters) exceeds the
 * 30-parameter limit above; it now reads only listed registers, in three requests.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const EASTRON_SDM72D_M: MeterModel = {
  id: 'eastron-sdm72d-m',
  name: 'Eastron SDM72D-M-2',
  source:
    'Eastron "SDM72D-M User Manual V1.1" p. 13 (30001-30017; https://manualshive.com/en/manual/eastron/sdm72dm/522602?page=13); ' +
    '"SDM72D-M User Manual V1.5" p. 14 (30053, 30073; https://www.easymanua.ls/eastron/sdm72d-m/manual?p=14)',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'high-first',
    maxGapRegisters: 0,
    maxRegistersPerRead: 60,
    fields: {
      volts: phaseFields(0x00, 2, 'float32', 1),
      amps: phaseFields(0x06, 2, 'float32', 1),
      watts: phaseFields(0x0c, 2, 'float32', 1),
      totalWatts: { address: 0x34, type: 'float32', scale: 1 },
      importWh: { address: 0x48, type: 'float32', scale: 1000 },
    },
  }),
};
