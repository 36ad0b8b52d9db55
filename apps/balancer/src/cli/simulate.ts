/**
 * `p1 simulate --scenario FILE [--json] [--strategy NAME] [--plot FILE]`: runs a strategy against a scenario
 * at full speed and prints the metrics of CONTRACTS §4 (a table, or one JSON object with --json).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadScenario, METRIC_KEYS, renderPlotSvg, runScenario, ScenarioError, strategies } from '@p1/scenario';
import { UsageError } from './errors';

const HELP = `usage: p1 simulate --scenario FILE [--json] [--strategy NAME] [--plot FILE]

  --scenario FILE   scenario JSON (CONTRACTS §3); shipped ones in packages/scenario/scenarios/
  --json            print one JSON object with the metrics instead of a table
  --strategy NAME   ${Object.keys(strategies).join(' | ')} (default: default)
  --plot FILE       also write an SVG of the run (line currents vs fuse, EV current, quarter averages)`;

export async function main(argv: string[]): Promise<number> {
  let values: { scenario?: string; json?: boolean; strategy?: string; plot?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        json: { type: 'boolean' },
        strategy: { type: 'string' },
        plot: { type: 'string' },
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
  if (!values.scenario) throw new UsageError(`simulate: --scenario FILE is required.\n${HELP}`);
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
    for (const k of METRIC_KEYS) console.log(`  ${k.padEnd(width)}  ${result.metrics[k]}`);
    if (values.plot) console.log(`plot written to ${values.plot}`);
  }
  return 0;
}
