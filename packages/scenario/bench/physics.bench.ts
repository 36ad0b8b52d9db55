/**
 * The physics' CPU per house (house timeline and the runner's own loop for every strategy: cars, telegrams,
 * breaker, quarters), this working copy side by side with a base commit, both bundled with esbuild as the fleet's
 * workers are and run alternately in child processes, so that both sides see the same machine load.
 *
 *   P1_PHYSICS_BASE   commit to compare with (default c92ed1f, the physics before it was made faster)
 *   P1_PHYSICS_HOUSES houses per run (default 8, seed 1, after one warm-up house that is not counted)
 *   P1_PHYSICS_RUNS   runs per side (default 5); the medians of the runs' per-house means are compared
 *   P1_PHYSICS_PROF   a directory: also write a `node --cpu-prof` profile of each run of this working copy there
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_STRATEGIES } from '../src/index';
import { bundle, extractBase } from './base-commit';

const base = process.env.P1_PHYSICS_BASE ?? 'c92ed1f';
const houses = Number(process.env.P1_PHYSICS_HOUSES ?? 8);
const runs = Number(process.env.P1_PHYSICS_RUNS ?? 5);
const prof = process.env.P1_PHYSICS_PROF;
const strategies = ['default', ...REFERENCE_STRATEGIES];

/** Per house (ms): the physics in CPU time (timeline and replayed runs), and in wall time as the fleet reports it. */
interface HouseLine {
  physicsCpuMs: number;
  physicsMs: number;
  strategyMs: number;
}

/** One run: a fresh process, one warm-up house, then `houses` houses; the mean per counted house. */
function run(file: string, profile: boolean): HouseLine {
  const flags = profile && prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const out = execFileSync(process.execPath, [...flags, file, '1', '0', String(houses + 1), ...strategies], {
    encoding: 'utf8',
  });
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as HouseLine)
    .slice(1);
  const mean = (k: keyof HouseLine) => lines.reduce((a, l) => a + l[k], 0) / lines.length;
  return { physicsCpuMs: mean('physicsCpuMs'), physicsMs: mean('physicsMs'), strategyMs: mean('strategyMs') };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'p1-physics-'));
try {
  const headFile = join(dir, 'head.mjs');
  const baseFile = join(dir, 'base.mjs');
  await bundle(join(import.meta.dirname, 'physics-probe.ts'), headFile);
  await bundle(extractBase(base, ['scenario'], 'physics-probe.ts', dir), baseFile);
  const load = loadavg()[0]!;
  const sides: Record<'base' | 'head', HouseLine[]> = { base: [], head: [] };
  for (let r = 0; r < runs; r++) {
    // Alternate which side goes first, so that a load that changes during the bench hits both alike.
    const order: Array<'base' | 'head'> = r % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
    for (const side of order) sides[side].push(run(side === 'head' ? headFile : baseFile, side === 'head'));
  }
  const row = (label: string, k: keyof HouseLine) => {
    const b = median(sides.base.map((l) => l[k]));
    const h = median(sides.head.map((l) => l[k]));
    return `${label.padEnd(28)}${b.toFixed(0).padStart(8)}${h.toFixed(0).padStart(8)}${(h / b).toFixed(2).padStart(8)}`;
  };
  console.log(
    `physics bench: ${runs} runs × ${houses} houses (seed 1, ${strategies.join(', ')}), ms per house, median of runs\n` +
      `${''.padEnd(28)}${base.padStart(8)}${'here'.padStart(8)}${'ratio'.padStart(8)}\n` +
      `${row('physics, CPU', 'physicsCpuMs')}\n${row('physics, wall (fleet report)', 'physicsMs')}\n` +
      `${row('strategies, wall', 'strategyMs')}\n` +
      `load average ${load.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
