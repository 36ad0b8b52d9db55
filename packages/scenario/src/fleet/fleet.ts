/**
 * The fleet bench: N generated houses × 24 h for our strategy and the references, spread over worker threads
 * (one per core by default), summarised per metric and per promise of issue 11 §2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { METRIC_KEYS, type Metrics } from '../bench/metrics';
import type { Profile } from '../houses/sites';
import { type HouseOutcome, heldWhy, type Margins, runHouse, variantOf } from './house-run';
import { ENERGY_PROMISES, FLEET_ENERGY_GOALS, PROMISES } from './promises';
import { HIGHER_IS_BETTER, quantile, type Summary, summarize } from './stats';

export interface FleetOptions {
  n: number;
  seed: number;
  profile?: Profile;
  /** Seconds between each house's telegrams (default 1; 10 measures Dutch DSMR 4 and Luxembourg meters). */
  telegramEveryS?: number;
  /** Seconds every car takes to follow a new limit (null or absent: each as drawn, 2–5). */
  carLagS?: number | null;
  /** Seconds between every charger's samples of its car's current (null or absent: each as drawn, 1–10). */
  sampleEveryS?: number | null;
  /** Strategy names; the first is "ours" (the promises are asserted for it). */
  strategies: readonly string[];
  /** Worker threads (default: one per core); 0 runs the houses in this thread. */
  workers?: number;
  /** Our balancer's margins (its setting `margins`) where not its defaults: what a setting costs over a fleet. */
  margins?: Margins;
  /** Called after each house with the number done. */
  onProgress?: (done: number) => void;
}

export interface FleetRun {
  options: Required<Omit<FleetOptions, 'onProgress'>>;
  outcomes: HouseOutcome[];
  wallMs: number;
}

/** Runs the fleet; houses come back in index order whatever thread ran them. */
export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const profile = options.profile ?? 'be';
  const workers = Math.min(options.n, options.workers ?? availableParallelism());
  const telegramEveryS = options.telegramEveryS ?? 1;
  const carLagS = options.carLagS ?? null;
  const sampleEveryS = options.sampleEveryS ?? null;
  const variant = variantOf({ telegramEveryS, carLagS, sampleEveryS });
  const strategies = [...options.strategies];
  const margins = { ...options.margins };
  const opts = {
    n: options.n,
    seed: options.seed,
    profile,
    telegramEveryS,
    carLagS,
    sampleEveryS,
    strategies,
    workers,
    margins,
  };
  const began = performance.now();
  const outcomes: HouseOutcome[] = new Array(options.n);
  if (workers <= 0) {
    for (let i = 0; i < options.n; i++) {
      outcomes[i] = runHouse(options.seed, i, profile, strategies, variant, margins);
      options.onProgress?.(i + 1);
    }
    return { options: opts, outcomes, wallMs: performance.now() - began };
  }
  let next = 0;
  let done = 0;
  const { file: workerFile, remove } = await compiledWorker();
  await new Promise<void>((resolve, reject) => {
    const threads: Worker[] = [];
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      for (const t of threads) void t.terminate();
      reject(new Error(message));
    };
    for (let w = 0; w < workers; w++) {
      const thread = new Worker(workerFile, {
        workerData: { seed: options.seed, profile, strategies, variant, margins },
      });
      threads.push(thread);
      const feed = () => thread.postMessage(next < options.n ? next++ : null);
      thread.on('message', (m: { ready?: true; outcome?: HouseOutcome; index?: number; error?: string }) => {
        if (m.error !== undefined) return fail(`house ${m.index} of seed ${options.seed} failed: ${m.error}`);
        if (m.outcome) {
          outcomes[m.outcome.index] = m.outcome;
          done++;
          options.onProgress?.(done);
          if (done === options.n) {
            for (const t of threads) t.postMessage(null);
            resolve();
            return;
          }
        }
        feed();
      });
      thread.on('error', (e) => fail(`a fleet worker stopped: ${e.message}`));
      thread.on('exit', (code) => {
        if (code !== 0 && done < options.n) fail(`a fleet worker exited with code ${code}`);
      });
    }
  }).finally(remove);
  return { options: opts, outcomes, wallMs: performance.now() - began };
}

/**
 * The worker compiled into one plain module: threads then run the balancer and the physics as they run in
 * production (bundled), not through tsx's on-the-fly transform with its per-function name wrappers.
 */
async function compiledWorker(): Promise<{ file: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'p1-fleet-'));
  const file = join(dir, 'worker.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: file,
    logLevel: 'warning',
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PromiseRow {
  id: string;
  text: string;
  goal: string;
  /** Houses breaking it, per strategy. */
  broken: Record<string, number>;
  /** Houses allowed to break it in this fleet. */
  allowed: number;
  /** Whether our strategy keeps it over the fleet. */
  kept: boolean;
  /** Our worst house on its metric, when some house breaks it. */
  worst: { index: number; name: string; value: number | null } | null;
}

export interface FleetReport {
  houses: number;
  seed: number;
  profile: Profile;
  /** Seconds between the houses' telegrams. */
  telegramEveryS: number;
  /** Seconds every car took to follow a new limit (null: each as drawn). */
  carLagS: number | null;
  /** Seconds between every charger's samples (null: each as drawn). */
  sampleEveryS: number | null;
  strategies: string[];
  workers: number;
  /** The margins our balancer ran with where not its defaults (`{}`: every default). */
  margins: Margins;
  wallS: number;
  /** Seconds summed over the threads: house and loop physics, perfect-foresight bound, each strategy's steps. */
  split: { physicsS: number; boundS: number; strategyS: Record<string, number> };
  /** Per strategy: each metric's summary (the names of packages/scenario/README.md#metrics). */
  metrics: Record<string, Record<string, Summary>>;
  promises: PromiseRow[];
  fleetGoals: Array<{ id: string; text: string; value: number | null; kept: boolean }>;
  /**
   * Our strategy's houses that break a promise, with the promises they break, what broke the fuse and quarter ones
   * and, where the cars fell short of energy, what held them.
   */
  failing: Array<{ index: number; name: string; broken: string[]; why: string[] }>;
}

/** Which promises a strategy breaks in one house (the energy promise compares with the other strategies run). */
export function brokenPromises(outcome: HouseOutcome, strategy: string): string[] {
  const m = outcome.metrics[strategy]!;
  const others = Object.entries(outcome.metrics)
    .filter(([s]) => s !== strategy)
    .map(([, o]) => o);
  return PROMISES.filter((p) => !p.kept(m, others)).map((p) => p.id);
}

const metricValue = (m: Metrics, key: keyof Metrics): number | null => m[key];

export function fleetReport(run: FleetRun): FleetReport {
  const { outcomes, options } = run;
  const ours = options.strategies[0]!;
  const sum = (f: (o: HouseOutcome) => number) => outcomes.reduce((a, o) => a + f(o), 0) / 1000;
  const metrics: FleetReport['metrics'] = {};
  for (const s of options.strategies) {
    metrics[s] = {};
    for (const key of METRIC_KEYS)
      metrics[s]![key] = summarize(
        outcomes.map((o) => metricValue(o.metrics[s]!, key)),
        HIGHER_IS_BETTER.has(key),
      );
  }
  const brokenBy = new Map(options.strategies.map((s) => [s, outcomes.map((o) => brokenPromises(o, s))]));
  const promises: PromiseRow[] = PROMISES.map((p) => {
    const broken: Record<string, number> = {};
    for (const s of options.strategies) broken[s] = brokenBy.get(s)!.filter((b) => b.includes(p.id)).length;
    const allowed = Math.floor(p.allowedShare * outcomes.length);
    let worst: PromiseRow['worst'] = null;
    if (broken[ours]! > 0) {
      const better = HIGHER_IS_BETTER.has(p.metric) ? -1 : 1;
      for (const o of outcomes) {
        if (!brokenBy.get(ours)![o.index]!.includes(p.id)) continue;
        const value = metricValue(o.metrics[ours]!, p.metric);
        if (worst === null || (value ?? 0) * better > (worst.value ?? 0) * better)
          worst = { index: o.index, name: o.name, value };
      }
    }
    return { id: p.id, text: p.text, goal: p.goal, broken, allowed, kept: broken[ours]! <= allowed, worst };
  });
  const ratios = outcomes.map((o) => o.metrics[ours]!.evEnergyRatio).sort((a, b) => a - b);
  const fleetGoals = FLEET_ENERGY_GOALS.map((g) => {
    const value = ratios.length > 0 ? quantile(ratios, g.quantile) : null;
    return { id: g.id, text: g.text, value, kept: value !== null && value >= g.atLeast };
  });
  const strategyS: Record<string, number> = {};
  for (const s of options.strategies) strategyS[s] = sum((o) => o.timing.strategyMs[s] ?? 0);
  return {
    houses: outcomes.length,
    seed: options.seed,
    profile: options.profile,
    telegramEveryS: options.telegramEveryS,
    carLagS: options.carLagS,
    sampleEveryS: options.sampleEveryS,
    strategies: [...options.strategies],
    workers: options.workers,
    margins: options.margins,
    wallS: run.wallMs / 1000,
    split: { physicsS: sum((o) => o.timing.physicsMs), boundS: sum((o) => o.timing.boundMs), strategyS },
    metrics,
    promises,
    fleetGoals,
    failing: outcomes
      .map((o) => {
        const broken = brokenBy.get(ours)![o.index]!;
        // A house short of energy says what held its cars; the fuse and quarter sentences say what broke those.
        const short = ENERGY_PROMISES.some((p) => broken.includes(p.id));
        return { index: o.index, name: o.name, broken, why: short ? [...o.why, heldWhy(o.held)] : o.why };
      })
      .filter((f) => f.broken.length > 0),
  };
}
