/**
 * Siemens SENTRON PAC2200.
 *
 * Checked against the vendor manual, "SENTRON PAC2200 Manual, 05/2018, L1V30415167B-02", Appendix A.1, "Modbus measured
 * variables with the function codes 0x03 and 0x04", Table A-3 "Available measured variables":
 * https://www.easymanua.ls/siemens/sentron-pac2200/manual?p=91 (and p=92). Stored and matching: function codes 03 and 04
 * on every measured variable; offset 25, 2 registers, "Active power L1", Float, W; offset 21 apparent power L2, 37 power
 * factor L1 (so the float pairs sit at odd offsets, as the map assumes); "Active energy import tariff 1" listed. The rows
 * with offsets 1-17, 27-29, 65 and the offset and format of the tariff energy are not in the stored text.
 * Those rows are checked against the same family's table, "SENTRON PAC4200 System Manual, 09/2009, A5E02316180B-02",
 * Table A-1 (https://manualshive.com/en/manual/sentron/pac4200/1244821?page=226: offset 1/3/5 Voltage a-n, 13/15/17
 * Current, 25/27/29 Active Power, Float) and Table A-9 (https://www.easymanua.ls/siemens/sentron-pac4200/manual?p=208:
 * 801, 4 registers, "Active Energy Import Tariff 1", Double, Wh), and cross-checked with volkszaehler/mbmd
 * meters/rs485/pac2200.go (1/3/5, 13/15/17, 25/27/29, 65 total power floats; 801 double) for the PAC2200 itself.
 * The offset is the address sent on the wire (mbmd reads voltage a-n at 1).
 * float32 / float64, high word first, function code 04. Only tariff 1 import (801) is read: with two tariffs in use
 * importWh counts tariff 1 only (load management itself uses amps and watts).
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const SIEMENS_PAC2200: MeterModel = {
  id: 'siemens-pac2200',
  name: 'Siemens SENTRON PAC2200',
  source:
    'Siemens "SENTRON PAC2200 Manual" 05/2018 L1V30415167B-02, Table A-3 (FC03/04, offset 25; https://www.easymanua.ls/siemens/sentron-pac2200/manual?p=91); ' +
    'offsets 1-29, 801 as in the PAC4200 System Manual Tables A-1/A-9; 65 per volkszaehler/mbmd pac2200.go',
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
