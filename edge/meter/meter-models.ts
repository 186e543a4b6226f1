/** The catalogue of built-in meter models, by id as written in the meter configuration. */
import type { MeterModel } from './register-map';
import { ABB_B23 } from './maps/abb-b23';
import { CARLO_GAVAZZI_EM24 } from './maps/carlo-gavazzi-em24';
import { CARLO_GAVAZZI_EM340 } from './maps/carlo-gavazzi-em340';
import { EASTRON_SDM630 } from './maps/eastron-sdm630';
import { EASTRON_SDM72D_M } from './maps/eastron-sdm72d-m';
import { JANITZA_UMG96RM } from './maps/janitza-umg96rm';
import { SIEMENS_PAC2200 } from './maps/siemens-pac2200';

export const METER_MODEL_IDS = [
  'eastron-sdm630',
  'eastron-sdm72d-m',
  'carlo-gavazzi-em24',
  'carlo-gavazzi-em340',
  'janitza-umg96rm',
  'abb-b23',
  'siemens-pac2200',
] as const;
export type MeterModelId = (typeof METER_MODEL_IDS)[number];

export const METER_MODELS: Readonly<Record<MeterModelId, MeterModel>> = {
  'eastron-sdm630': EASTRON_SDM630,
  'eastron-sdm72d-m': EASTRON_SDM72D_M,
  'carlo-gavazzi-em24': CARLO_GAVAZZI_EM24,
  'carlo-gavazzi-em340': CARLO_GAVAZZI_EM340,
  'janitza-umg96rm': JANITZA_UMG96RM,
  'abb-b23': ABB_B23,
  'siemens-pac2200': SIEMENS_PAC2200,
};
