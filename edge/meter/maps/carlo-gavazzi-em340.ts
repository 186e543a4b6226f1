/**
 * Carlo Gavazzi EM330/EM340/ET330/ET340, and the EM24 Ethernet (E1), which uses the same measurement block.
 *
 * No vendor register table in the stored corpus: of "EM300 Series and ET300 Series Communication Protocol" only the cover
 * and contents are stored (Version 2 Revision 17, July 05, 2021: https://www.scribd.com/document/623315071/em330-em340-et330-et340-cp;
 * Version 2 Revision 9: http://technodocbox.com/C_and_CPP/81445414-Em300-series-et300-series.html), not the register rows.
 * Cross-checked instead with open-source drivers: volkszaehler/mbmd meters/rs485/carlogavazzi-ex3x0.go (written from
 * EM330_EM340_ET330_ET340_CP.pdf) and carlogavazzi-em24_e1.go (same addresses), Victron dbus-modbus-client carlo_gavazzi.py
 * (EM24 Ethernet: 0028h W, 0034h kWh forward, INT32 low word first). Third-party star.ke.st
 * (https://star.ke.st/library/carlo-gavazzi-em330-em340-energy-meter) lists the same addresses and scales and quotes the
 * vendor's limit of 50 registers per request (not seen in the vendor text here).
 * INT32, least significant word first, function code 04: 0000h-0004h V L-N x10, 000Ch-0010h A x1000, 0012h-0016h W x10,
 * 0028h W sys x10, 0034h kWh (+) TOT x10. This is not the RS-485 EM24's table (see carlo-gavazzi-em24.ts).
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const CARLO_GAVAZZI_EM340: MeterModel = {
  id: 'carlo-gavazzi-em340',
  name: 'Carlo Gavazzi EM330/EM340 (and EM24 Ethernet)',
  source:
    'no vendor table stored; cross-checked with volkszaehler/mbmd carlogavazzi-ex3x0.go and carlogavazzi-em24_e1.go, ' +
    'Victron dbus-modbus-client carlo_gavazzi.py (0000h-0016h, 0028h, 0034h)',
  map: defineRegisterMap({
    functionCode: 4,
    wordOrder: 'low-first',
    maxGapRegisters: 8,
    maxRegistersPerRead: 50,
    fields: {
      volts: phaseFields(0x00, 2, 'int32', 0.1),
      amps: phaseFields(0x0c, 2, 'int32', 0.001),
      watts: phaseFields(0x12, 2, 'int32', 0.1),
      totalWatts: { address: 0x28, type: 'int32', scale: 0.1 },
      importWh: { address: 0x34, type: 'int32', scale: 100 },
    },
  }),
};
