/**
 * Production bundle: `pnpm --filter @p1/app-balancer bundle` writes dist/p1.mjs (plain `node`, no
 * TypeScript loader in the running process: tsx's loader thread alone costs ~35 MB of resident memory)
 * and copies the dashboard next to it. The workspace's TypeScript sources are bundled; every npm
 * package stays external, imported by its resolved absolute path (so pnpm's strict layout and
 * native addons keep working), which is why the bundle is built where it runs (see deploy/Dockerfile).
 */
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { uplotDistDir, VENDOR_FILES } from '../dashboard/vendor';

const externalsInPlace: Plugin = {
  name: 'externals-in-place',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.inner || args.path.startsWith('@p1/')) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { inner: true },
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, external: true };
    });
  },
};

/** Bundles `entry` to `<outDir>/<name>.mjs`; lazily loaded drivers become chunks loaded only when used. */
export async function bundle(entry: string, outDir: string, name: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { [name]: entry },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [externalsInPlace],
  });
  return join(outDir, `${name}.mjs`);
}

const appDir = join(import.meta.dirname, '..', '..');

/** The dashboard's files and its chart library (dashboard/vendor/) into `dir`. */
export function copyDashboard(dir: string): void {
  cpSync(join(appDir, 'src', 'dashboard', 'public'), dir, { recursive: true });
  const uplot = uplotDistDir();
  if (!uplot) throw new Error('uplot: not installed; run the setup first (npm run setup)');
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  for (const file of VENDOR_FILES) copyFileSync(join(uplot, file), join(dir, 'vendor', file));
}

/** dist/p1.mjs + dist/dashboard/ (with uPlot in dist/dashboard/vendor/). */
export async function bundleApp(outDir = join(appDir, 'dist')): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  const outfile = await bundle(join(appDir, 'src', 'cli', 'p1.ts'), outDir, 'p1');
  copyDashboard(join(outDir, 'dashboard'));
  return outfile;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const out = await bundleApp();
  console.log(`bundled ${out}`);
}
