/**
 * Eastron SDM630 (Modbus V2 / MID V2; the SDM630MCT uses the same input-register table).
 *
 * Checked against the vendor table:
 * - "SDM630 Modbus MID V2" user manual (Eastron, distributed by B+G e-tech), section 1.2 "Input register", table 1.2.1
 *   "SDM630Modbus Input Registers": https://manualshive.com/ru/manual/eastron/sdm630-modbus-mid-v2/522581?page=25
 *   Function code 04; parameters 1-3 (30001/3/5, start address 0000h/0002h/0004h) phase volts, 4-6 (30007/9/11,
 *   0006h-000Ah) phase amps, 7-9 (30013/15/17, 000Ch-0010h) phase watts, each a 4-byte float; at most 40 parameters
 *   (80 registers) per request. All match.
 * - 30053 "Total system power" (0034h, float, W) and 30073 "Total Import kWh" (0048h, float, kWh) are on a page of that
 *   manual the corpus does not hold. The same rows, same addresses, are in Eastron's SDM72D-M User Manual V1.5 (B+G e-tech),
 *   PART 3 Modbus Protocol, page 14: https://www.easymanua.ls/eastron/sdm72d-m/manual?p=14, and its SDM72CT-M manual, page 10:
 *   https://manualshive.com/en/manual/eastron/sdm72ct-m/522600?page=10; third-party SDM630 tables (ob121.com, lamaplc.com) agree.
 * - Word order is not stated on the pages seen; high word first as in volkszaehler/mbmd meters/rs485/sdm.go.
 * Not used: docs.racksync.com's "Appendix A" (https://docs.racksync.com/sdm630-power-meter/en/10a-appendix-modbus) says it
 * follows "Eastron SDM630MCT Modbus Protocol V1.7" but puts line-to-line volts at 30007, current at 30013 and import energy
 * at 30063, against every Eastron manual above, and gives 30001 in hex (0x7531) as the address; it is no faithful copy.
 *
 * One request reads 30001-30074 (37 parameters, within the 40 allowed), reserved registers included.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const EASTRON_SDM630: MeterModel = {
  id: 'eastron-sdm630',
  name: 'Eastron SDM630',
  source:
    'Eastron "SDM630 Modbus MID V2" user manual, table 1.2.1 (30001-30017; https://manualshive.com/ru/manual/eastron/sdm630-modbus-mid-v2/522581?page=25); ' +
    '30053 and 30073 as in Eastron "SDM72D-M User Manual V1.5" p. 14 (https://www.easymanua.ls/eastron/sdm72d-m/manual?p=14)',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'high-first',
    maxGapRegisters: 64,
    maxRegistersPerRead: 80,
    fields: {
      volts: phaseFields(0x00, 2, 'float32', 1),
      amps: phaseFields(0x06, 2, 'float32', 1),
      watts: phaseFields(0x0c, 2, 'float32', 1),
      totalWatts: { address: 0x34, type: 'float32', scale: 1 },
      importWh: { address: 0x48, type: 'float32', scale: 1000 },
    },
  }),
};
