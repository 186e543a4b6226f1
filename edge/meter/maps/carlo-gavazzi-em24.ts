/**
 * Carlo Gavazzi EM24 DIN with the RS-485 port (PFA, PFB and X models, e.g. EM24DINAV93XISX / ...XO2X).
 *
 * Checked against the vendor table, "EM24-DIN PFA, PFB & X models - Communication Protocol" (Carlo Gavazzi; the scribd copy
 * https://scribd.com/document/725241920/em24-is-cp is "Version 4 Revision 0, December 03th, 2012"), stored at manualshelf:
 * - page 4, 1.2.2 Function 04h: "maximum 11 register (word) with a single request" (its frame table says "1 to 10h (1 to 11)";
 *   the lower count is used):
 *   http://www.manualshelf.com/manual/carlo-gavazzi/em24dinav93xo2x/3-2-1-user-manual-english/page-4.html
 * - page 7, 2.1 Data format: "In INT32, UINT32 and UINT64 formats, the word order is LSW-> MSW":
 *   http://38.142.81.21:8001/manual/carlo-gavazzi/em24dinav93xo2x/3-2-1-user-manual-english/page-7.html
 * - page 8, Table 2.3-1 "Instantaneous variables and meters" (function codes 03 and 04), INT32:
 *   http://www.manualshelf.com/manual/carlo-gavazzi/em24dinav93xo2x/3-2-1-user-manual-english/page-8.html
 *   0000h-0004h V L1-N..L3-N, Volt*10; 000Ch-0010h A L1..L3, Ampere*1000; 0012h-0016h W L1..L3, Watt*10;
 *   0028h W sys, Watt*10; 003Eh kWh(+) TOT, kWh*10. All match except import energy (below).
 * Fixed here: import energy was read at 0034h, which in this table is PF L3 / PF sys (INT16); the read size was 50 registers,
 * above the 11 allowed. evcc reads kWh(+) TOT of the RS-485 EM24 at 3Eh too (evcc-io/evcc PR #17173).
 * The EM24 Ethernet (E1) has another layout, kWh(+) TOT at 0034h as on the EM330/EM340 (volkszaehler/mbmd issue #317 and
 * PR #361; Victron dbus-modbus-client carlo_gavazzi.py): configure it as `carlo-gavazzi-em340`. Not used: the manualshive
 * copy https://manualshive.com/en/manual/carlo-gavazzi/em-21/2558682?page=8 carries an "EM24-DIN" page header but is the
 * EM21 protocol (Version 1 Revision 0).
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const CARLO_GAVAZZI_EM24: MeterModel = {
  id: 'carlo-gavazzi-em24',
  name: 'Carlo Gavazzi EM24 DIN (RS-485)',
  source:
    'Carlo Gavazzi "EM24-DIN PFA, PFB & X models - Communication Protocol", Table 2.3-1, 0000h-0016h, 0028h, 003Eh ' +
    '(http://www.manualshelf.com/manual/carlo-gavazzi/em24dinav93xo2x/3-2-1-user-manual-english/page-8.html)',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'low-first',
    maxGapRegisters: 0,
    maxRegistersPerRead: 11,
    fields: {
      volts: phaseFields(0x00, 2, 'int32', 0.1),
      amps: phaseFields(0x0c, 2, 'int32', 0.001),
      watts: phaseFields(0x12, 2, 'int32', 0.1),
      totalWatts: { address: 0x28, type: 'int32', scale: 0.1 },
      importWh: { address: 0x3e, type: 'int32', scale: 100 },
    },
  }),
};
