/**
 * A fleet house's whole CPU (timeline, bound, every strategy's run: what `p1 bench houses` spends per house),
 * this working copy side by side with a base commit. Both sides are bundled with esbuild as the fleet's workers
 * are, the base from its own balancer, dsmr and scenario sources, and run alternately in child processes so that
 * both see the same machine load.
 *
 *   P1_CPU_BASE    commit to compare with (default main)
 *   P1_CPU_HOUSES  houses per run (default 20, seed 1, after one warm-up house that is not counted)
 *   P1_CPU_RUNS    runs per side (default 3); the medians of the runs' per-house means are compared
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REFERENCE_STRATEGIES } from '../src/index';

const base = process.env.P1_CPU_BASE ?? 'main';
const houses = Number(process.env.P1_CPU_HOUSES ?? 20);
const runs = Number(process.env.P1_CPU_RUNS ?? 3);
const strategies = ['default', ...REFERENCE_STRATEGIES];
const pkg = join(import.meta.dirname, '..');
const repo = join(pkg, '../..');
const PACKAGES = ['balancer', 'dsmr', 'scenario'];

/** `root`: where the @p1 packages' sources are (this working copy, or the base's extracted ones). */
async function bundle(entry: string, outfile: string, root: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    nodePaths: [join(pkg, 'node_modules')],
    alias: Object.fromEntries(PACKAGES.map((p) => [`@p1/${p}`, join(root, 'packages', p, 'src/index.ts')])),
  });
}

/** The base's sources, with the probe beside them (git archive: no checkout, no worktree). */
function extractBase(dir: string): string {
  const paths = PACKAGES.map((p) => `packages/${p}/src`);
  const tar = execFileSync('git', ['-C', repo, 'archive', base, ...paths], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const benchDir = join(dir, 'packages/scenario/bench');
  mkdirSync(benchDir, { recursive: true });
  copyFileSync(join(import.meta.dirname, 'house-cpu-probe.ts'), join(benchDir, 'house-cpu-probe.ts'));
  return join(benchDir, 'house-cpu-probe.ts');
}

/** One run: a fresh process, one warm-up house, then `houses` houses; the mean CPU per counted house (ms). */
function run(file: string): number {
  const out = execFileSync(process.execPath, [file, '1', '0', String(houses + 1), ...strategies], { encoding: 'utf8' });
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { cpuMs: number })
    .slice(1);
  return lines.reduce((a, l) => a + l.cpuMs, 0) / lines.length;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'p1-house-cpu-'));
try {
  const headFile = join(dir, 'head.mjs');
  const baseFile = join(dir, 'base.mjs');
  await bundle(join(import.meta.dirname, 'house-cpu-probe.ts'), headFile, repo);
  await bundle(extractBase(dir), baseFile, dir);
  const load = loadavg()[0]!;
  const sides: Record<'base' | 'head', number[]> = { base: [], head: [] };
  for (let r = 0; r < runs; r++) {
    // Alternate which side goes first, so that a load that changes during the bench hits both alike.
    const order: Array<'base' | 'head'> = r % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
    for (const side of order) sides[side].push(run(side === 'head' ? headFile : baseFile));
  }
  const b = median(sides.base);
  const h = median(sides.head);
  console.log(
    `house CPU bench: ${runs} runs × ${houses} houses (seed 1, ${strategies.join(', ')}), ms per house, median of runs\n` +
      `${''.padEnd(12)}${base.padStart(8)}${'here'.padStart(8)}${'ratio'.padStart(8)}\n` +
      `${'CPU'.padEnd(12)}${b.toFixed(0).padStart(8)}${h.toFixed(0).padStart(8)}${(h / b).toFixed(3).padStart(8)}\n` +
      `runs: base ${sides.base.map((x) => x.toFixed(0)).join(' ')}, here ${sides.head.map((x) => x.toFixed(0)).join(' ')}\n` +
      `load average ${load.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
