/**
 * The fleet bench of issue 11 (`pnpm --filter @p1/scenario bench`, after the strategies bench): 1,000 generated
 * houses × 24 h for our strategy and the references on every core, with the time split between the physics,
 * each strategy's steps and the perfect-foresight bound. A benchmark: it reports, it does not fail.
 * P1_BENCH_HOUSES and P1_BENCH_SEED change the fleet; P1_BENCH_OUT writes the failing houses and SVGs there.
 */
import { loadavg } from 'node:os';
import { fleetReport, formatFleetReport, REFERENCE_STRATEGIES, runFleet, writeFleetFiles } from '../src/index';

const n = Number(process.env.P1_BENCH_HOUSES ?? 1000);
const seed = Number(process.env.P1_BENCH_SEED ?? 1);
const before = loadavg()[0]!;
const run = await runFleet({ n, seed, strategies: ['default', ...REFERENCE_STRATEGIES] });
const report = fleetReport(run);
console.log(formatFleetReport(report));
const perHouse = report.wallS / n;
console.log(
  `\nwall time ${report.wallS.toFixed(0)} s for ${n} houses (${(perHouse * 1000).toFixed(0)} ms a house); ` +
    `1,000 houses at this rate ÷ the 5 min goal = ${((perHouse * 1000) / 300).toFixed(2)}; ` +
    `load average ${before.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${report.workers} threads`,
);
if (process.env.P1_BENCH_OUT) console.log(`${writeFleetFiles(report, process.env.P1_BENCH_OUT).length} files written`);
