/**
 * Reading a configuration (`pnpm --filter @p1/app-balancer bench`, after the latency bench). Peer: ajv,
 * a compiled JSON Schema validator, on the published config.schema.json in the same run.
 *
 * 1. Time per document: the example configuration, and a document with eight problems, each read from
 *    YAML and checked: ours (valibot, the owner sentences and the checks across keys) against ajv (allErrors).
 * 2. Heap and RSS that loading the checks costs, in a fresh process each (after a full GC): our config
 *    module (valibot, the driver tables), ajv with the schema compiled, against yaml alone.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_FILE, parseConfigText } from '../src/config';

const APP = join(import.meta.dirname, '..');
const EXAMPLE = readFileSync(join(APP, 'deploy', 'config.example.yaml'), 'utf8');
const BAD = `version: 1
meter: { source: serial, baud: 5 }
site: { fuseA: 3, colour: red }
chargers: [{ id: cp1, maxA: 100 }, { id: cp1, phases: [1, 4] }]
http: { port: 99999, token: short }
`;

function perDocUs(run: () => unknown, budgetMs = 1500): number {
  for (let i = 0; i < 200; i++) run(); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    for (let i = 0; i < 50; i++) run();
    n += 50;
  }
  return ((performance.now() - t0) * 1000) / n;
}

const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(
  JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')),
);
if (!parseConfigText(EXAMPLE).ok || !validate(parse(EXAMPLE))) throw new Error('the example must be valid for both');
if (parseConfigText(BAD).ok || validate(parse(BAD))) throw new Error('the bad document must be refused by both');

const rows: string[][] = [];
for (const [name, text] of [
  ['example config, valid', EXAMPLE],
  ['8 problems', BAD],
] as const) {
  const ours = perDocUs(() => parseConfigText(text));
  const ajv = perDocUs(() => validate(parse(text)));
  rows.push([`${name}: µs per document (YAML + checks)`, ours.toFixed(1), ajv.toFixed(1), (ours / ajv).toFixed(2)]);
}

/** Heap and RSS (MB) after loading `code` in a fresh node with tsx, after a full GC. */
function loaded(code: string): { heap: number; rss: number } {
  const script = `${code}
globalThis.gc(); globalThis.gc();
const m = process.memoryUsage();
console.log(JSON.stringify({ heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: APP,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
function loadedMedian(code: string): { heap: number; rss: number } {
  const runs = Array.from({ length: 3 }, () => loaded(code));
  return { heap: median(runs.map((r) => r.heap)), rss: median(runs.map((r) => r.rss)) };
}
const base = loadedMedian(`await import('yaml');`);
const ours = loadedMedian(
  `await import('yaml'); const c = await import('./src/config/index.ts'); c.parseConfigText('version: 1');`,
);
const peer = loadedMedian(`await import('yaml'); const { readFileSync } = await import('node:fs');
const { Ajv } = await import('ajv');
new Ajv({ allErrors: true, strictRequired: false }).compile(JSON.parse(readFileSync('config.schema.json', 'utf8')));`);
const mb = (x: number) => x.toFixed(1);
rows.push([
  'heap added by loading the checks (MB)',
  mb(ours.heap - base.heap),
  mb(peer.heap - base.heap),
  ((ours.heap - base.heap) / (peer.heap - base.heap)).toFixed(2),
]);
rows.push([
  'RSS added by loading the checks (MB)',
  mb(ours.rss - base.rss),
  mb(peer.rss - base.rss),
  ((ours.rss - base.rss) / (peer.rss - base.rss)).toFixed(2),
]);

console.log('\n| measure | ours (valibot) | peer (ajv) | ratio |\n|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\nbaseline (node + tsx + yaml): heap ${mb(base.heap)} MB, RSS ${mb(base.rss)} MB`);
