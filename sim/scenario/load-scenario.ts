/** Reads a scenario file. */
import { readFileSync } from 'node:fs';
import { parseOrThrow } from '../../shared/validation';
import { ScenarioSchema, type Scenario } from './scenario-schema';

export function loadScenario(file: string): Scenario {
  return parseOrThrow(ScenarioSchema, JSON.parse(readFileSync(file, 'utf8')), 'config.invalid', `scenario ${file}`);
}
