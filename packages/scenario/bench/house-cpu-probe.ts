/**
 * Child of house-cpu.bench.ts, bundled with esbuild: runs generated houses as a fleet worker does (`runHouse`,
 * every strategy) and prints one JSON line per house with its CPU time. Argv: seed, first house, houses, strategies….
 */
import { runHouse } from '../src/fleet/house-run';

const [seed, from, count, ...names] = process.argv.slice(2);
for (let i = Number(from); i < Number(from) + Number(count); i++) {
  const before = process.cpuUsage();
  runHouse(Number(seed), i, 'be', names);
  const u = process.cpuUsage(before);
  console.log(JSON.stringify({ index: i, cpuMs: (u.user + u.system) / 1000 }));
}
