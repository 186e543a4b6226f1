/**
 * The demo's simulated site (`npm start`): config/demo-site.json's chargers playing the demo scenario, an SDM630 over
 * Modbus TCP, and each charger dialling again after the agent drops it with a real charger's back-off
 * (`REAL_CHARGER_BACKOFF`: 15 s doubling to 120 s, plus up to 5 s at random), so the demo shows what a site does.
 */
import path from 'node:path';
import type { EdgeConfig } from '../edge/config/edge-config-schema';
import { REAL_CHARGER_BACKOFF } from '../sim/charger/charger-reconnect';
import { realClock } from '../sim/charger/sim-clock';
import { loadScenario } from '../sim/scenario/load-scenario';
import type { SiteSimulatorOptions } from '../sim/scenario/site-simulator';
import type { AllocationConsole } from './allocation-console';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The demo simulator's options for `config`'s site, its meter on `meterPort` (0: a free one), its steps on `console`. */
export function demoSimulatorOptions(
  config: EdgeConfig,
  meterPort: number,
  console: AllocationConsole,
): SiteSimulatorOptions {
  return {
    scenario: loadScenario(path.join(ROOT, 'sim/scenario/scenarios/demo-office.json')),
    chargers: config.site.chargers.map((c) => {
      const secret = config.chargerPasswords[c.id];
      return {
        id: c.id,
        phases: c.phases,
        maxAmps: c.maxAmps,
        phaseRotation: c.phaseRotation,
        ...(secret && 'password' in secret && { password: secret.password }),
      };
    }),
    clock: realClock,
    volts: config.site.nominalVolts,
    meter: { model: 'eastron-sdm630', port: meterPort },
    reconnect: REAL_CHARGER_BACKOFF,
    onReconnected: (chargerId) => console.note(Date.now(), `simulator: ${chargerId} connected again`),
    onStep: (event, outcome) => {
      const who = event.type === 'meterMode' ? 'meter' : event.chargerId;
      console.note(
        Date.now(),
        `simulator: ${who} ${event.type === 'arrive' ? `car arrives (${event.idTag})` : event.type}: ${outcome}`,
      );
    },
    onError: () => {},
  };
}
