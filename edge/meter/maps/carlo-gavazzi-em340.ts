/**
 * Carlo Gavazzi EM330/EM340/ET330/ET340: "EM330, EM340, ET330, ET340 Communication protocol", Carlo Gavazzi
 * (cross-checked with volkszaehler/mbmd meters/rs485/carlogavazzi-ex3x0.go).
 * The measurement block has the EM24 layout (INT32, least significant word first, function code 04):
 * 0000h V L1-N x10, 000Ch A L1 x1000, 0012h W L1 x10, 0028h W sys x10, 0034h kWh (+) TOT x10.
 */
import type { MeterModel } from '../register-map';
import { CARLO_GAVAZZI_EM24 } from './carlo-gavazzi-em24';

export const CARLO_GAVAZZI_EM340: MeterModel = {
  id: 'carlo-gavazzi-em340',
  name: 'Carlo Gavazzi EM340',
  source: 'Carlo Gavazzi "EM330/EM340/ET330/ET340 Communication protocol", registers 0000h-0016h, 0028h, 0034h',
  map: CARLO_GAVAZZI_EM24.map,
};
