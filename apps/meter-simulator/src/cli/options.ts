/** Option parsing shared by p1-sim commands: meter model, supply, scenario, seed and start. */
import { readFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Connection } from '@p1/balancer';
import { parseScenario, type Scenario } from '@p1/scenario';
import { findModel, METER_MODELS, type SimulationOptions } from '@p1/sim';
import { UsageError } from './usage-error';

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export function parse(argv: string[], options: ParseArgsConfig['options']): Values {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Values;
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\.$/, '')}; see --help.`);
  }
}

export const meterOptions = {
  model: { type: 'string' },
  connection: { type: 'string' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  'smarty-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const METER_HELP = `  --model NAME         meter model (p1-sim models), default fluvius-3ph
  --connection TYPE    1x230 | 3x230 | 3N400 (default: the scenario's, else the model's)
  --scenario FILE      household scenario (JSON; packages/scenario/README.md); default a built-in family home with an EV
  --seed N             random seed (default: the scenario's, else 1)
  --start ISO|now      meter clock at start, e.g. 2025-01-15T00:00:00+01:00
  --smarty-key HEX     32 hex digits, key for the encrypted smarty model (default a demo key, printed)`;

export function number(
  values: Values,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name} must be ${what}, not "${String(raw)}".`);
  }
  return n;
}

export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read scenario ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`scenario ${file} is not valid JSON: ${(err as Error).message}.`);
  }
  try {
    return parseScenario(json, file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Turns --model/--connection/--scenario/--seed/--start into simulation options. */
export async function simulationOptions(values: Values): Promise<SimulationOptions> {
  const modelName = (values.model as string | undefined) ?? 'fluvius-3ph';
  const model = findModel(modelName);
  if (!model) {
    throw new UsageError(
      `--model "${modelName}" is not a meter model; one of ${METER_MODELS.map((m) => m.name).join(', ')}.`,
    );
  }
  const options: SimulationOptions = { model };
  if (values.scenario !== undefined) options.scenario = await loadScenario(values.scenario as string);
  const connection = values.connection as string | undefined;
  if (connection !== undefined) {
    if (!model.connections.includes(connection as Connection)) {
      throw new UsageError(
        `--connection ${connection} does not fit ${model.name}; one of ${model.connections.join(', ')}.`,
      );
    }
    options.connection = connection as Connection;
  } else if (options.scenario && !model.connections.includes(options.scenario.site.connection)) {
    throw new UsageError(
      `the scenario's site.connection ${options.scenario.site.connection} does not fit ${model.name}; one of ${model.connections.join(', ')}.`,
    );
  }
  // A bench scenario may say how often its meter sends; the model decides here, so the two must agree.
  const everyS = options.scenario?.site.telegramEveryS;
  if (everyS !== undefined && everyS !== model.intervalS) {
    const fitting = METER_MODELS.filter((m) => m.intervalS === everyS).map((m) => m.name);
    throw new UsageError(
      `the scenario's site.telegramEveryS ${everyS} does not fit ${model.name}, which sends every ${model.intervalS} s; ` +
        (fitting.length > 0 ? `choose --model ${fitting.join(', ')}.` : 'no meter model sends at that interval.'),
    );
  }
  if (values.seed !== undefined) options.seed = number(values, 'seed', 1, Number.isInteger, 'an integer');
  const start = values.start as string | undefined;
  if (start !== undefined && start !== 'now') {
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/.test(start)
      ? Date.parse(start)
      : Number.NaN;
    if (!Number.isFinite(ms))
      throw new UsageError(`--start must be an ISO 8601 time with offset or "now", not "${start}".`);
    options.startMs = Math.floor(ms / 1000) * 1000;
  } else if (start === 'now') {
    options.startMs = Math.floor(Date.now() / 1000) * 1000;
  }
  const key = values['smarty-key'] as string | undefined;
  if (key !== undefined) {
    if (!/^[0-9a-fA-F]{32}$/.test(key)) throw new UsageError('--smarty-key must be 32 hex digits (16 bytes).');
    options.smartyKey = key.toUpperCase();
  }
  return options;
}
