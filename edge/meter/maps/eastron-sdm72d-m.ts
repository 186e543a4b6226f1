/**
 * Eastron SDM72D-M-2 (v2): "SDM72DM-V2 Modbus protocol", Eastron Electronic Co., input registers 30001-30017
 * (phase volts, amps, watts), 30053 total system power, 30073 total import kWh: the SDM630's addresses and float32
 * high-word-first encoding, function code 04. The first-generation SDM72D-M has no per-phase registers (only 30053,
 * 30073, 30075, 30343), so it cannot be used for per-phase load management; it reads as invalid (0 V) with this map.
 */
import type { MeterModel } from '../register-map';
import { EASTRON_SDM630 } from './eastron-sdm630';

export const EASTRON_SDM72D_M: MeterModel = {
  id: 'eastron-sdm72d-m',
  name: 'Eastron SDM72D-M-2',
  source: 'Eastron "SDM72DM-V2 Modbus protocol", input registers 30001-30018, 30053, 30073',
  map: EASTRON_SDM630.map,
};
