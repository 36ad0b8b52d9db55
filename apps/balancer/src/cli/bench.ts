/**
 * `p1 bench houses [--n N] [--seed S] [--json] [--strategy NAME…] [--out DIR] [--profile NAME] [--workers N]
 * [--telegram-every S] [--car-lag S] [--sample-every S] [--margin NAME=VALUE…]`: the fleet bench of issue 11 —
 * generated houses × 24 h for our strategy and the references, the promises counted, the failing houses written
 * out as scenarios and the worst one per promise as an SVG.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  fleetReport,
  formatFleetReport,
  type Margins,
  REFERENCE_STRATEGIES,
  runFleet,
  strategies,
  writeFleetFiles,
} from '@p1/scenario';
import { validateConfig } from '../config';
import { UsageError } from './errors';
import { integerOption, profileOption } from './simulate';

const HELP = `usage: p1 bench houses [--n N] [--seed S] [--json] [--strategy NAME…] [--out DIR] [--profile NAME] [--workers N]
                      [--telegram-every S] [--car-lag S] [--sample-every S] [--margin NAME=VALUE…]

  --n N             houses to generate and run, 24 h each (default 1000)
  --seed S          the generator's seed (default 1)
  --json            print one JSON object instead of the Markdown report
  --strategy NAME   a strategy to run; repeat for several (default: default ${REFERENCE_STRATEGIES.join(' ')});
                    the first is ours, whose promises are counted (one of ${Object.keys(strategies).join(', ')})
  --out DIR         where the houses that break a promise (scenario files) and the worst per promise (SVG) go
                    (default reports/houses)
  --profile NAME    be | nl (default be)
  --workers N       worker threads (default: one per core, here ${availableParallelism()})
  --telegram-every S  seconds between each house's telegrams, 1–60 (default 1, as Belgian and DSMR 5 meters;
                    10 as Dutch DSMR 4 and Luxembourg Smarty meters)
  --car-lag S       seconds every car takes to follow a new limit, 1–30 (default: each as drawn, 2–5;
                    IEC 61851 allows 5)
  --sample-every S  seconds between every charger's samples of its car's current, 1–60 (default: each as
                    drawn, 1, 5 or 10; 60 as a charger that keeps its own MeterValueSampleInterval)
  --margin NAME=VALUE  one of our balancer's margins (the setting margins.NAME: fuseA, capacityKw,
                    unseenStepKw) instead of its default, to see what it costs; repeat for several`;

/** `--margin NAME=VALUE` options, checked by the configuration's own rules for \`margins\`. */
function marginsOption(given: readonly string[]): Margins {
  const pairs = given.map((g): [string, number | string] => {
    const eq = g.indexOf('=');
    if (eq <= 0) throw new UsageError(`bench houses: --margin takes NAME=VALUE (as unseenStepKw=2), got "${g}".`);
    const value = g.slice(eq + 1).trim();
    return [g.slice(0, eq).trim(), value !== '' && Number.isFinite(Number(value)) ? Number(value) : value];
  });
  // Own keys only (fromEntries): a name such as __proto__ is then an unknown key, not a silent no-op.
  const margins: Record<string, number | string> = Object.fromEntries(pairs);
  const checked = validateConfig({ version: 1, margins });
  if (!checked.ok) {
    const problem = checked.problems[0]!.replace(/^margins\.([^:]+): /, (_, name) => `${name}=${margins[name]}: `);
    throw new UsageError(`bench houses: --margin ${problem}.`);
  }
  // Only what was given: the rest stays the balancer's own default.
  return Object.fromEntries(Object.keys(margins).map((k) => [k, checked.config.margins[k as keyof Margins]]));
}

export async function main(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what === '--help' || what === '-h') {
    console.log(HELP);
    return 0;
  }
  if (what !== 'houses')
    throw new UsageError(`bench: say what to run: 'p1 bench houses' (got ${what ? `"${what}"` : 'nothing'}).\n${HELP}`);
  let values: {
    n?: string;
    seed?: string;
    json?: boolean;
    strategy?: string[];
    out?: string;
    profile?: string;
    workers?: string;
    'telegram-every'?: string;
    'car-lag'?: string;
    'sample-every'?: string;
    margin?: string[];
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        n: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        strategy: { type: 'string', multiple: true },
        out: { type: 'string' },
        profile: { type: 'string' },
        workers: { type: 'string' },
        'telegram-every': { type: 'string' },
        'car-lag': { type: 'string' },
        'sample-every': { type: 'string' },
        margin: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`bench houses: ${(e as Error).message}\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const n = values.n === undefined ? 1000 : integerOption('n', values.n, 1, 100_000);
  const seed = values.seed === undefined ? 1 : integerOption('seed', values.seed, 0, 2_147_483_647);
  const workers = values.workers === undefined ? undefined : integerOption('workers', values.workers, 0, 256);
  const profile = profileOption('bench houses', values.profile);
  const every = values['telegram-every'];
  const telegramEveryS = every === undefined ? 1 : integerOption('telegram-every', every, 1, 60);
  const lag = values['car-lag'];
  const carLagS = lag === undefined ? null : integerOption('car-lag', lag, 1, 30);
  const sampling = values['sample-every'];
  const sampleEveryS = sampling === undefined ? null : integerOption('sample-every', sampling, 1, 60);
  const margins = marginsOption(values.margin ?? []);
  const names = values.strategy ?? ['default', ...REFERENCE_STRATEGIES];
  for (const s of names) {
    if (!strategies[s])
      throw new UsageError(
        `bench houses: unknown --strategy "${s}"; choose from ${Object.keys(strategies).join(', ')}.`,
      );
  }
  // Ours first: the promises are counted for it.
  const chosen = [...new Set(names.includes('default') ? ['default', ...names] : names)];
  const progress = process.stderr.isTTY
    ? (done: number) => {
        if (done === n || done % Math.max(1, Math.round(n / 20)) === 0) process.stderr.write(`\r${done}/${n} houses`);
        if (done === n) process.stderr.write('\n');
      }
    : undefined;
  const run = await runFleet({
    n,
    seed,
    profile,
    telegramEveryS,
    carLagS,
    sampleEveryS,
    strategies: chosen,
    workers,
    margins,
    onProgress: progress,
  });
  const report = fleetReport(run);
  const dir = values.out ?? 'reports/houses';
  const files = writeFleetFiles(report, dir);
  if (values.json) console.log(JSON.stringify({ ...report, files }));
  else {
    console.log(formatFleetReport(report));
    console.log(
      `\n${report.failing.length} house${report.failing.length === 1 ? '' : 's'} breaking a promise and ${files.length - report.failing.length} SVG${files.length - report.failing.length === 1 ? '' : 's'} written to ${dir}`,
    );
  }
  return 0;
}
