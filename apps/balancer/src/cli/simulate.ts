/**
 * `p1 simulate --scenario FILE [--json] [--strategy NAME] [--plot FILE]`: runs a strategy against a scenario
 * at full speed and prints the metrics of packages/scenario/README.md#metrics (a table, or one JSON object
 * with --json).
 * `p1 simulate --generate N --seed S --out DIR [--profile NAME]`: writes N generated houses as scenario files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  generateHouse,
  loadScenario,
  METRIC_KEYS,
  PROFILES,
  type Profile,
  renderPlotSvg,
  runScenario,
  ScenarioError,
  strategies,
} from '@p1/scenario';
import { UsageError } from './errors';

const HELP = `usage: p1 simulate --scenario FILE [--json] [--strategy NAME] [--plot FILE]
       p1 simulate --generate N --seed S --out DIR [--profile NAME]

  --scenario FILE   scenario JSON (packages/scenario/README.md); shipped ones in packages/scenario/scenarios/
  --json            print one JSON object with the metrics instead of a table
  --strategy NAME   ${Object.keys(strategies).join(' | ')} (default: default)
  --plot FILE       also write an SVG of the run (line currents vs fuse, EV current, quarter averages)
  --generate N      write N generated houses (24 h scenarios) to --out; the same seed gives the same files
  --seed S          the generator's seed (an integer 0 … 2147483647)
  --out DIR         where the generated houses go (created if missing)
  --profile NAME    ${PROFILES.join(' | ')} (default: be): Flemish houses with capacity targets, or Dutch ones`;

/** A whole number in [min, max] from an option, or one sentence naming the option. */
export function integerOption(name: string, text: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}".`);
  return n;
}

/** The profile named by --profile, or one sentence listing the known ones. */
export function profileOption(command: string, text: string | undefined): Profile {
  const profile = text ?? 'be';
  if (!(PROFILES as readonly string[]).includes(profile))
    throw new UsageError(`${command}: unknown --profile "${profile}"; choose one of ${PROFILES.join(', ')}.`);
  return profile as Profile;
}

type Values = {
  scenario?: string;
  json?: boolean;
  strategy?: string;
  plot?: string;
  generate?: string;
  seed?: string;
  out?: string;
  profile?: string;
  help?: boolean;
};

export async function main(argv: string[]): Promise<number> {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        json: { type: 'boolean' },
        strategy: { type: 'string' },
        plot: { type: 'string' },
        generate: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`simulate: ${(e as Error).message}\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.generate !== undefined) return generate(values);
  if (!values.scenario) throw new UsageError(`simulate: --scenario FILE or --generate N is required.\n${HELP}`);
  const strategy = values.strategy ?? 'default';
  if (!strategies[strategy]) {
    throw new UsageError(
      `simulate: unknown --strategy "${strategy}"; choose one of ${Object.keys(strategies).join(', ')}.`,
    );
  }
  let scenario: ReturnType<typeof loadScenario>;
  try {
    scenario = loadScenario(values.scenario);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(e.message);
    throw e;
  }
  const result = runScenario(scenario, { strategy, trace: values.plot !== undefined });
  if (values.plot) {
    writeFileSync(values.plot, renderPlotSvg(result.trace!, `${scenario.name} · strategy ${strategy}`));
  }
  if (values.json) {
    console.log(JSON.stringify(result.metrics));
  } else {
    const width = Math.max(...METRIC_KEYS.map((k) => k.length));
    console.log(
      `scenario ${scenario.name} · strategy ${strategy} · ${(scenario.durationS / 3600).toFixed(1)} h simulated in ${Math.round(result.elapsedMs)} ms`,
    );
    for (const k of METRIC_KEYS) console.log(`  ${k.padEnd(width)}  ${result.metrics[k] ?? '–'}`);
    if (values.plot) console.log(`plot written to ${values.plot}`);
  }
  return 0;
}

function generate(values: Values): number {
  const command = 'simulate --generate';
  if (values.scenario !== undefined) throw new UsageError(`${command}: --scenario and --generate do not go together.`);
  const n = integerOption('generate', values.generate!, 1, 100_000);
  if (values.seed === undefined)
    throw new UsageError(`${command}: --seed S is required (the same seed, the same houses).`);
  const seed = integerOption('seed', values.seed, 0, 2_147_483_647);
  if (!values.out) throw new UsageError(`${command}: --out DIR is required (where the scenario files go).`);
  const profile = profileOption(command, values.profile);
  try {
    mkdirSync(values.out, { recursive: true });
  } catch (e) {
    throw new UsageError(`${command}: cannot create --out "${values.out}" (${(e as NodeJS.ErrnoException).code}).`);
  }
  for (let i = 0; i < n; i++) {
    const house = generateHouse(seed, i, profile);
    writeFileSync(join(values.out, `${house.name}.json`), `${JSON.stringify(house, null, 2)}\n`);
  }
  console.log(`${n} house${n === 1 ? '' : 's'} (profile ${profile}, seed ${seed}) written to ${values.out}`);
  return 0;
}
