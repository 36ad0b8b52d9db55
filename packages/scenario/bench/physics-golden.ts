/**
 * Guards optimisations of the physics (house timeline, runner loop, meter, cars, breaker, bound): the results of
 * every shipped scenario and of 40 generated houses (seed 7), for our strategy and the references, must stay
 * byte-identical. `record` writes them, `check` compares (exit code 1 and the first difference when they differ).
 *
 *   pnpm --filter @p1/scenario exec tsx bench/physics-golden.ts record [file]
 *   pnpm --filter @p1/scenario exec tsx bench/physics-golden.ts check [file]
 *
 * Not a vitest test: it takes a minute or two, and our strategy's results change whenever the balancer does, so
 * the file belongs to one working copy (default .reports/physics-golden.json), recorded before a change.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  generateHouse,
  type HouseTimeline,
  houseTimeline,
  loadScenario,
  REFERENCE_STRATEGIES,
  type RunResult,
  runHouse,
  runScenario,
} from '../src/index';

const STRATEGIES = ['default', ...REFERENCE_STRATEGIES];
const GENERATED = { seed: 7, n: 40 };
const here = dirname(fileURLToPath(import.meta.url));

/** What a run produced, without the wall-clock measurements (stepP99Us, timing), which differ run to run. */
function outcomeOf(r: Pick<RunResult, 'metrics' | 'over145Events' | 'trace'>) {
  const { stepP99Us: _timed, ...metrics } = r.metrics;
  const out: Record<string, unknown> = { metrics, over145Events: r.over145Events };
  if (r.trace) {
    const hash = createHash('sha256');
    for (const a of [...r.trace.lineA, r.trace.evA, r.trace.limitA]) hash.update(new Uint8Array(a.buffer));
    hash.update(JSON.stringify(r.trace.quarters));
    out.trace = hash.digest('hex');
  }
  return out;
}

/** The house timeline bit for bit: the metrics round, this does not. */
function timelineHash(h: HouseTimeline): string {
  const hash = createHash('sha256');
  for (const a of [...h.lineKw, ...h.lineA]) hash.update(new Uint8Array(a.buffer));
  const s = h.steps;
  for (const a of [s.t, s.lines, s.load]) hash.update(new Uint8Array(a.buffer, 0, s.count * a.BYTES_PER_ELEMENT));
  return hash.digest('hex');
}

function results(): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  const dir = join(here, '../scenarios');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const scenario = loadScenario(join(dir, file));
    // The single-run path of `p1 simulate`: the house and the bound computed inside, with a trace for the plot.
    for (const strategy of STRATEGIES)
      all[`${file} ${strategy}`] = outcomeOf(runScenario(scenario, { strategy, trace: true }));
  }
  for (let i = 0; i < GENERATED.n; i++) {
    // The fleet's path: one house timeline and bound shared by the strategies.
    const o = runHouse(GENERATED.seed, i, 'be', STRATEGIES);
    all[`seed ${GENERATED.seed} house ${i}`] = timelineHash(houseTimeline(generateHouse(GENERATED.seed, i)));
    for (const strategy of STRATEGIES)
      all[`seed ${GENERATED.seed} house ${i} ${strategy}`] = outcomeOf({
        metrics: o.metrics[strategy]!,
        over145Events: o.over145Events[strategy]!,
      });
  }
  return all;
}

const [mode, fileArg] = process.argv.slice(2);
const file = fileArg ?? join(here, '../.reports/physics-golden.json');
if (mode !== 'record' && mode !== 'check') {
  console.error('usage: physics-golden.ts record|check [file]');
  process.exit(2);
}
const now = results();
if (mode === 'record') {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(now, null, 1)}\n`);
  console.log(`${Object.keys(now).length} runs recorded in ${file}`);
} else {
  const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  const differ = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(now[k]));
  if (differ.length === 0) console.log(`${keys.size} runs identical to ${file}`);
  else {
    const k = differ[0]!;
    console.error(`${differ.length} of ${keys.size} runs differ from ${file}; the first, ${k}:`);
    console.error(`before ${JSON.stringify(before[k])}\nnow    ${JSON.stringify(now[k])}`);
    process.exit(1);
  }
}
