/**
 * ABB B23/B24.
 *
 * Vendor document in the stored corpus: "B23/B24 User Manual", ABB AB, Document ID 2CMC485003M0201, Revision A, 2013-06-20
 * (https://vdocument.in/b23b24-user-manual.html, https://manualzilla.com/doc/6879245/b23-b24-user-manual). Stored and checked:
 * chapter 9.1 "About the Modbus Protocol" (https://pt.scribd.com/document/296948252/B24-Power-Meter-Registers): function
 * code 3 (Read holding registers) reads up to 125 consecutive registers; 6 and 16 write. The rows of its 9.3 "Mapping
 * Tables" (page 86 ff.) are not stored, so addresses, types and resolutions are not checked against this meter's table.
 * The same ABB family's A43/A44 User Manual (2CMC48001M0201 Rev. C), 9.4 Mapping Tables
 * (https://www.easymanua.ls/abb/a43/manual?p=108), gives "Active import kWh 5000, 4 registers, 0,01 kWh, Unsigned": it
 * matches, for the sibling meter only.
 * Cross-checked with volkszaehler/mbmd meters/rs485/abb.go (holding registers; 5B00h-5B04h voltage uint32 /10,
 * 5B0Ch-5B10h current uint32 /100, 5B14h total and 5B16h-5B1Ah per-phase power int32 /100, 5000h import uint64 /100)
 * and third-party star.ke.st (https://star.ke.st/library/abb-b23-b24-energy-meter: same addresses and resolutions).
 * High word first, function code 03: 5B00h-5B04h voltage L-N, 0.1 V; 5B0Ch-5B10h current, 0.01 A; 5B14h total and
 * 5B16h-5B1Ah per-phase active power, signed, 0.01 W; 5000h active import energy total, uint64, 0.01 kWh.
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const ABB_B23: MeterModel = {
  id: 'abb-b23',
  name: 'ABB B23',
  source:
    'ABB "B23/B24 User Manual" 2CMC485003M0201 rev. A, ch. 9.1 (FC03, 125 registers; https://pt.scribd.com/document/296948252/B24-Power-Meter-Registers); ' +
    'mapping rows not stored, cross-checked with volkszaehler/mbmd abb.go (5000h, 5B00h-5B1Bh)',
  map: defineRegisterMap({
    functionCode: 3,
    wordOrder: 'high-first',
    maxGapRegisters: 8,
    fields: {
      volts: phaseFields(0x5b00, 2, 'uint32', 0.1),
      amps: phaseFields(0x5b0c, 2, 'uint32', 0.01),
      watts: phaseFields(0x5b16, 2, 'int32', 0.01),
      totalWatts: { address: 0x5b14, type: 'int32', scale: 0.01 },
      importWh: { address: 0x5000, type: 'uint64', scale: 10 },
    },
  }),
};
