/** What the fleet bench prints and writes: a Markdown report, the failing houses as scenarios, SVGs of the worst. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_KEYS } from '../bench/metrics';
import { renderPlotSvg } from '../bench/plot';
import { runScenario } from '../bench/runner';
import type { FleetReport } from './fleet';
import { fleetHouse, variantOf } from './house-run';
import type { Summary } from './stats';

/** A number as short as it reads well: integers as they are, others with at most 3 decimals, no trailing zeros. */
function num(x: number | null): string {
  if (x === null) return '–';
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : String(Number(x.toFixed(3)));
}
const cell = (s: Summary) => `${num(s.median)} / ${num(s.p95)} / ${num(s.worst)}`;
const seconds = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`);

/** A Markdown table: the first `textColumns` columns left-aligned, the numbers after them right-aligned. */
function table(header: string[], rows: string[][], textColumns = 1): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < textColumns ? '---' : '---:')).join('|')}|`]
    .concat(rows.map((r) => `| ${r.join(' | ')} |`))
    .join('\n');
}

/** The bench's report as Markdown: the time split, the promises, every metric per strategy. */
export function formatFleetReport(r: FleetReport): string {
  const ours = r.strategies[0]!;
  const total = r.split.physicsS + r.split.boundS + Object.values(r.split.strategyS).reduce((a, b) => a + b, 0);
  const pct = (x: number) => `${total > 0 ? Math.round((100 * x) / total) : 0} %`;
  const meter =
    (r.telegramEveryS === 1 ? '' : `, a telegram every ${r.telegramEveryS} s`) +
    (r.carLagS === null ? '' : `, every car following a new limit in ${r.carLagS} s`) +
    (r.sampleEveryS === null ? '' : `, every charger sampling every ${r.sampleEveryS} s`);
  const set = Object.entries(r.margins).map(([k, v]) => `${k}=${v}`);
  const margins = set.length > 0 ? `, ${ours}'s margins ${set.join(' ')}` : '';
  const out: string[] = [
    `# Fleet bench: ${r.houses} houses (profile ${r.profile}, seed ${r.seed}${meter}${margins}) × 24 h, ${r.workers} worker thread${r.workers === 1 ? '' : 's'}`,
    '',
    `wall time ${seconds(r.wallS)} (goal for 1,000 houses: < 5 min)`,
    `time split (summed over threads): physics ${seconds(r.split.physicsS)} (${pct(r.split.physicsS)}) · ` +
      Object.entries(r.split.strategyS)
        .map(([s, x]) => `strategy ${s} ${seconds(x)} (${pct(x)})`)
        .join(' · ') +
      ` · perfect-foresight bound ${seconds(r.split.boundS)} (${pct(r.split.boundS)})`,
  ];
  const refs = r.strategies.slice(1);
  if (refs.length > 0) {
    out.push(
      `step time of ${ours} ÷ reference: ${refs
        .map((s) => `${s} ${(r.split.strategyS[ours]! / Math.max(1e-9, r.split.strategyS[s]!)).toFixed(1)}×`)
        .join(', ')}`,
    );
  }
  out.push('', '## Promises (issue 11 §2): houses breaking each', '');
  out.push(
    table(
      ['promise', 'goal', ...r.strategies, 'allowed', `${ours} keeps it`],
      r.promises.map((p) => [
        p.text,
        p.goal,
        ...r.strategies.map((s) => String(p.broken[s])),
        String(p.allowed),
        p.kept ? 'yes' : 'NO',
      ]),
    ),
  );
  out.push(
    '',
    table(
      ['fleet goal', ours, 'kept'],
      r.fleetGoals.map((g) => [g.text, num(g.value), g.kept ? 'yes' : 'NO']),
    ),
  );
  out.push('', '## Metrics per strategy: median / p95 (5th percentile where more is better) / worst', '');
  out.push(
    table(
      ['metric', ...r.strategies],
      METRIC_KEYS.map((k) => [k, ...r.strategies.map((s) => cell(r.metrics[s]![k]!))]),
    ),
  );
  const worst = r.promises.filter((p) => p.worst);
  if (worst.length > 0) {
    out.push('', `## Worst house of ${ours} per broken promise`, '');
    out.push(
      table(
        ['promise', 'house', 'value'],
        worst.map((p) => [p.id, `${p.worst!.index} ${p.worst!.name}`, num(p.worst!.value)]),
      ),
    );
  }
  if (r.failing.length > 0) {
    out.push('', `## Houses where ${ours} breaks a promise`, '');
    out.push(
      table(
        ['house', 'breaks', 'what happened (fuse above 1.45 × In, quarters over target, what held the cars)'],
        r.failing.map((f) => [`${f.index} ${f.name}`, f.broken.join(', '), f.why.join('; ') || '–']),
        3,
      ),
    );
  }
  return out.join('\n');
}

/**
 * Writes every house our strategy breaks a promise in as a scenario file (a regression to keep), and an SVG
 * of the worst house per broken promise. Returns the paths written.
 */
export function writeFleetFiles(r: FleetReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of r.failing) {
    const scenario = fleetHouse(r.seed, f.index, r.profile, variantOf(r));
    const path = join(dir, `${scenario.name}.json`);
    const $comment = [`breaks: ${f.broken.join(', ')}`, ...f.why].join('; ');
    writeFileSync(path, `${JSON.stringify({ $comment, ...scenario }, null, 2)}\n`);
    written.push(path);
  }
  const ours = r.strategies[0]!;
  for (const p of r.promises) {
    if (!p.worst) continue;
    const scenario = fleetHouse(r.seed, p.worst.index, r.profile, variantOf(r));
    const run = runScenario(scenario, { strategy: ours, trace: true });
    const path = join(dir, `worst-${p.id}.svg`);
    writeFileSync(path, renderPlotSvg(run.trace!, `${scenario.name} · ${ours} · worst for "${p.id}" (${p.goal})`));
    written.push(path);
  }
  return written;
}
