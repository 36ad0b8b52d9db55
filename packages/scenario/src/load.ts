/** Reads a scenario file: one sentence naming the file (and field) when it is missing or malformed. */
import { readFileSync } from 'node:fs';
import { parseScenario, ScenarioError } from './parse';
import type { Scenario } from './scenario';

export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(
      `${path}: cannot read the scenario (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))})`,
      path,
      '',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`${path}: not valid JSON (${(e as Error).message})`, path, '');
  }
  return parseScenario(json, path);
}
