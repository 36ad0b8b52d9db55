/**
 * The module's benchmark (`pnpm --filter @p1/app-balancer bench`). Each figure is side by side with a
 * peer measured in the same run. bench/runner.ts is bundled and run with plain node and the
 * production flags (as deploy/ runs it), one fresh process per part:
 *
 * 1. Latency: from a telegram's last byte written to a socat serial pair to the new limit handed to
 *    the charger (serial driver → framer → parse → module core → balancer → setLimit). Peer: the same
 *    telegrams' time to the serial driver's parsed reading, i.e. reading the meter without the module.
 * 2. Memory: an accelerated 24 h (86 400 telegrams, 1 s of meter clock each) through the module core
 *    (balancer, SQLite store, live state) with the HTTP server and a dashboard SSE client attached;
 *    RSS sampled every simulated hour after a full GC. Peer: the same telegrams framed and parsed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../src/build/bundle';
import { PRODUCTION_NODE_FLAGS } from '../src/build/node-flags';

const LATENCY_TELEGRAMS = Number(process.env.P1_BENCH_TELEGRAMS ?? 600);
const SIM_SECONDS = Number(process.env.P1_BENCH_SECONDS ?? 86_400);
const FLAGS = [...PRODUCTION_NODE_FLAGS, '--expose-gc'];

interface MemoryResult {
  telegrams: number;
  wallS: number;
  samples: { hour: number; rssMb: number; heapMb: number }[];
}
interface LatencyResult {
  read: number[];
  limit: number[];
  readOfLimited: number[];
  lost: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function summary(samples: number[]): { n: number; p50: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? Number.NaN };
}

function memoryStats(r: MemoryResult): { end: number; max: number; slope: number } {
  const tail = r.samples.filter((x) => x.hour >= Math.min(4, r.samples.length / 2));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const hx = mean(tail.map((x) => x.hour));
  const ry = mean(tail.map((x) => x.rssMb));
  const slope =
    tail.reduce((a, x) => a + (x.hour - hx) * (x.rssMb - ry), 0) / tail.reduce((a, x) => a + (x.hour - hx) ** 2, 0);
  return { end: r.samples.at(-1)?.rssMb ?? Number.NaN, max: Math.max(...r.samples.map((x) => x.rssMb)), slope };
}

const out = mkdtempSync(join(tmpdir(), 'p1-bench-bundle-'));
try {
  const runner = await bundle(join(import.meta.dirname, 'runner.ts'), out, 'runner');
  cpSync(join(import.meta.dirname, '..', 'src', 'dashboard', 'public'), join(out, 'dashboard'), { recursive: true });
  const run = <T>(mode: string, count: number, flags = FLAGS): T => {
    const r = spawnSync(process.execPath, [...flags, runner, mode, String(count)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`bench run '${mode}' failed: ${r.error?.message ?? r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as T;
  };

  const ms = (x: number) => x.toFixed(3);
  console.log(
    `\n== latency: telegram's last byte on the socat pair → new limit sent to the charger (node ${FLAGS.join(' ')}) ==`,
  );
  console.log('| path | n | p50 ms | p99 ms | max ms |');
  console.log('|---|---|---|---|---|');
  let worstP99 = Number.NaN;
  for (const [label, flags] of [
    ['production flags', FLAGS],
    ['node defaults', ['--expose-gc']],
  ] as const) {
    const lat = run<LatencyResult>('latency', LATENCY_TELEGRAMS, [...flags]);
    const module = summary(lat.limit);
    const peer = summary(lat.readOfLimited);
    // what the module adds to each telegram: parse done → limit sent (the rest is the OS and the serial driver)
    const added = summary(lat.limit.map((x, i) => x - (lat.readOfLimited[i] as number)));
    if (label === 'production flags') worstP99 = module.p99;
    console.log(
      `| module: serial → parse → balancer → setLimit (${label}) | ${module.n} | ${ms(module.p50)} | ${ms(module.p99)} | ${ms(module.max)} |`,
    );
    console.log(
      `| peer: serial → parse, same telegrams (${label}) | ${peer.n} | ${ms(peer.p50)} | ${ms(peer.p99)} | ${ms(peer.max)} |`,
    );
    console.log(
      `| added by the module: reading → setLimit (${label}) | ${added.n} | ${ms(added.p50)} | ${ms(added.p99)} | ${ms(added.max)} |`,
    );
    console.log(
      `|   ratio module/peer p99 (${label}): ${(module.p99 / peer.p99).toFixed(2)}; telegrams read ${lat.read.length}, lost ${lat.lost} | | | | |`,
    );
  }
  console.log(`budget p99 ≤ 5 ms (production flags): ${worstP99 <= 5 ? 'met' : 'MISSED'} (p99 ${ms(worstP99)} ms)`);

  const peer = run<MemoryResult>('peer', SIM_SECONDS);
  const module = run<MemoryResult>('module', SIM_SECONDS);
  const m = memoryStats(module);
  const p = memoryStats(peer);
  const f1 = (x: number) => x.toFixed(1);
  console.log(
    `\n== memory: accelerated ${(SIM_SECONDS / 3600).toFixed(0)} h, 1 telegram = 1 s of meter clock, RSS after a full GC ==`,
  );
  console.log('| run | telegrams | wall s | RSS end MB | RSS max MB | RSS slope MB/h |');
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| module: balancer, SQLite store, live state, HTTP + dashboard SSE client + chart requests hourly | ${module.telegrams} | ${f1(module.wallS)} | ${f1(m.end)} | ${f1(m.max)} | ${m.slope.toFixed(3)} |`,
  );
  console.log(
    `| peer: frame + parse the same telegrams | ${peer.telegrams} | ${f1(peer.wallS)} | ${f1(p.end)} | ${f1(p.max)} | ${p.slope.toFixed(3)} |`,
  );
  console.log(`ratio module/peer RSS at the end: ${(m.end / p.end).toFixed(2)}`);
  console.log(`module RSS per simulated hour (MB): ${module.samples.map((x) => x.rssMb.toFixed(0)).join(' ')}`);
  console.log(
    `budget RSS ≤ 80 MB: ${m.max <= 80 ? 'met' : 'MISSED'}; flat (|slope| < 0.25 MB/h): ${Math.abs(m.slope) < 0.25 ? 'yes' : 'NO'}`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
