/**
 * Eastron SDM72D-M (and SDM72D-M-2): "SDM72D-M Modbus Protocol", Eastron Electronic Co., V1.4 (and SDM72DM-V2 protocol V1.2),
 * input registers 30001-30017 (phase volts, amps, watts), 30053 total system power, 30073 total import kWh:
 * the same addresses and float32 high-word-first encoding as the SDM630, read with function code 04.
 */
import type { MeterModel } from '../register-map';
import { EASTRON_SDM630 } from './eastron-sdm630';

export const EASTRON_SDM72D_M: MeterModel = {
  id: 'eastron-sdm72d-m',
  name: 'Eastron SDM72D-M',
  source: 'Eastron "SDM72D-M Modbus Protocol" V1.4, input registers 30001-30018, 30053, 30073',
  map: EASTRON_SDM630.map,
};
