/**
 * What the benches that compare this working copy with a base commit share: the base's sources extracted beside
 * a probe (git archive: no checkout, no worktree), and bundling with esbuild as the fleet's workers are.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const pkg = join(import.meta.dirname, '..');
/** The repository this working copy is. */
export const repo = join(pkg, '../..');

/**
 * Extracts `packages/<name>/src` of each package at `base` into `dir` and copies `probe` (a file beside this
 * one) into its `packages/scenario/bench`; returns the probe's path there.
 */
export function extractBase(base: string, packages: readonly string[], probe: string, dir: string): string {
  const paths = packages.map((p) => `packages/${p}/src`);
  const tar = execFileSync('git', ['-C', repo, 'archive', base, ...paths], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const benchDir = join(dir, 'packages/scenario/bench');
  mkdirSync(benchDir, { recursive: true });
  copyFileSync(join(import.meta.dirname, probe), join(benchDir, probe));
  return join(benchDir, probe);
}

/**
 * Bundles `entry` into `outfile`. Extracted sources have no node_modules beside them: their imports resolve to
 * this working copy's. `sources` points the named @p1 packages at the sources under a root instead.
 */
export async function bundle(
  entry: string,
  outfile: string,
  sources?: { root: string; packages: readonly string[] },
): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    nodePaths: [join(pkg, 'node_modules')],
    alias: sources
      ? Object.fromEntries(sources.packages.map((p) => [`@p1/${p}`, join(sources.root, 'packages', p, 'src/index.ts')]))
      : undefined,
  });
}
