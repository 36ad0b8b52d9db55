/**
 * A fleet house's whole CPU (timeline, bound, every strategy's run: what `p1 bench houses` spends per house),
 * this working copy side by side with a base commit. Both sides are bundled with esbuild as the fleet's workers
 * are, the base from its own balancer, dsmr and scenario sources, and loaded into one child process that runs
 * each house on both, in alternating order: on a busy machine both sides see the same load within a second. The
 * child is single-threaded (garbage collection and compilation on its one thread), so that one side's
 * background work is not counted to the other; each side's time for a house is the least of its rounds.
 *
 *   P1_CPU_BASE    commit to compare with (default main)
 *   P1_CPU_HOUSES  houses counted (default 20, seed 1), after P1_CPU_WARMUP houses (default 8) that are not
 *   P1_CPU_ROUNDS  times each house is run on each side (default 3)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_STRATEGIES } from '../src/index';
import { bundle, extractBase, repo } from './base-commit';

const base = process.env.P1_CPU_BASE ?? 'main';
const houses = Number(process.env.P1_CPU_HOUSES ?? 20);
const warmup = Number(process.env.P1_CPU_WARMUP ?? 8);
const rounds = Number(process.env.P1_CPU_ROUNDS ?? 3);
const strategies = ['default', ...REFERENCE_STRATEGIES];
const PACKAGES = ['balancer', 'dsmr', 'scenario'];

/** The child: both sides' `runHouse`, each house on both in alternating order; prints the CPU ms per side. */
const DRIVER = `
const [base, head] = await Promise.all([import('./base.mjs'), import('./head.mjs')]);
const [warmup, houses, rounds, ...names] = process.argv.slice(2).map((x, i) => (i < 3 ? Number(x) : x));
const cpu = (side, i) => {
  const before = process.cpuUsage();
  side.runHouse(1, i, 'be', names);
  const u = process.cpuUsage(before);
  return (u.user + u.system) / 1000;
};
for (let i = 0; i < warmup; i++) for (const side of i % 2 ? [head, base] : [base, head]) cpu(side, i);
// Per house the least CPU of its rounds on each side: a busy machine only ever adds to it.
const ms = { base: 0, head: 0 };
for (let i = warmup; i < warmup + houses; i++) {
  let b = Infinity;
  let h = Infinity;
  for (let r = 0; r < rounds; r++) {
    const headFirst = (i + r) % 2 === 1;
    const first = cpu(headFirst ? head : base, i);
    const second = cpu(headFirst ? base : head, i);
    b = Math.min(b, headFirst ? second : first);
    h = Math.min(h, headFirst ? first : second);
  }
  ms.base += b;
  ms.head += h;
}
console.log(JSON.stringify({ base: ms.base / houses, head: ms.head / houses }));
`;

const dir = mkdtempSync(join(tmpdir(), 'p1-house-cpu-'));
try {
  const headFile = join(dir, 'head.mjs');
  const baseFile = join(dir, 'base.mjs');
  await bundle(join(import.meta.dirname, 'house-cpu-probe.ts'), headFile, { root: repo, packages: PACKAGES });
  await bundle(extractBase(base, PACKAGES, 'house-cpu-probe.ts', dir), baseFile, { root: dir, packages: PACKAGES });
  const driver = join(dir, 'driver.mjs');
  writeFileSync(driver, DRIVER);
  const load = loadavg()[0]!;
  const args = [driver, String(warmup), String(houses), String(rounds), ...strategies];
  const { base: b, head: h } = JSON.parse(
    execFileSync(process.execPath, ['--single-threaded', ...args], { encoding: 'utf8' }),
  ) as {
    base: number;
    head: number;
  };
  console.log(
    `house CPU bench: ${houses} houses, least of ${rounds} rounds, after ${warmup} warm-up houses (seed 1, ${strategies.join(', ')}), ` +
      `CPU ms per house\n${''.padEnd(12)}${base.padStart(8)}${'here'.padStart(8)}${'ratio'.padStart(8)}\n` +
      `${'CPU'.padEnd(12)}${b.toFixed(0).padStart(8)}${h.toFixed(0).padStart(8)}${(h / b).toFixed(3).padStart(8)}\n` +
      `load average ${load.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
