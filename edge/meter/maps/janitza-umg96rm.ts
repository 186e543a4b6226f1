/**
 * Janitza UMG 96RM (and -P, -CBM, -EL).
 *
 * Vendor documents in the stored corpus, and what they show:
 * - "Power Analyser UMG 96 RM ... Modbus-address list and Formulary", Dok. Nr. 1.040.034.b, from firmware rel. 1.14
 *   (Janitza): https://www.manualshelf.com/manual/janitza/5222061/user-manual-english.html. Stored are its cover, contents
 *   and "Modbus Functions (Slave)": 03 Read Holding Registers and 04 Read Input Registers are supported. The rows of its
 *   "Frequently required readings" (19000 ff.) are not stored, so type, unit and the addresses after 19000 are unchecked.
 * - UMG 96RM user manual, "Example: Reading the L1-N voltage", page 58: function 03, address 19000 (4A38h) is the L1-N
 *   voltage: https://www.manualshelf.com/manual/janitza/5222061/1-user-manual-english/page-58.html. It calls the value
 *   "INT" yet asks for 2 registers and shows a 6-byte answer; the example is no reliable source for the type.
 * Cross-checked instead with OpenEMS (io.openems.edge.meter.janitza, MeterJanitzaUmg96rmeImpl.java: FC03 floats at 19000/19012/
 * 19020/19026; 19068 as its positive-direction energy, 19076 the other) and, for the sibling UMG 96-PA, cFos's meter definition (19000 V, 19012 A, 19026 W, 19068 import Wh,
 * floats: https://www.cfos-emobility.de/network/wp-content/uploads/cma_attachments/1692337358423_janitza_umg_96pa_erzeugung.json_.txt).
 * volkszaehler/mbmd's janitza.go reads Janitza's B-series (0x4A38...), not this meter.
 * float32, high word first (third-party star.ke.st quotes the address list: big-endian unless 32768 is added to the
 * address), function code 03: 19000-19004 U L-N, 19012-19016 I,
 * 19020-19024 P per phase, 19026 P sum, 19068 consumed (imported) real energy L1..L3 in Wh (19060 would be the sum of both
 * directions).
 */
import { defineRegisterMap, phaseFields, type MeterModel } from '../register-map';

export const JANITZA_UMG96RM: MeterModel = {
  id: 'janitza-umg96rm',
  name: 'Janitza UMG 96RM',
  source:
    'Janitza "UMG 96RM Modbus-address list and Formulary" 1.040.034.b (functions only; rows not stored: ' +
    'https://www.manualshelf.com/manual/janitza/5222061/user-manual-english.html); 19000 via FC03 in the UMG 96RM user manual p. 58; ' +
    'addresses and types cross-checked with OpenEMS MeterJanitzaUmg96rmeImpl.java',
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
