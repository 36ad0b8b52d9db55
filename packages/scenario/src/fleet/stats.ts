/** Per-metric summaries of a fleet: median, the 95th percentile on the bad side, and the worst house. */
import type { Metrics } from '../bench/metrics';

/** Metrics where more is better: their bad side is the low end. */
export const HIGHER_IS_BETTER: ReadonlySet<keyof Metrics> = new Set<keyof Metrics>([
  'evEnergyKwh',
  'optimalEvEnergyKwh',
  'evEnergyRatio',
  'shortestPauseS',
]);

export interface Summary {
  median: number | null;
  /** The value 95 % of the houses do at least as well as (the 5th percentile where more is better). */
  p95: number | null;
  worst: number | null;
  /** Houses with a value (shortestPauseS is null where nothing was paused). */
  count: number;
}

/** Nearest-rank quantile of ascending values. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(values: ReadonlyArray<number | null>, higherIsBetter: boolean): Summary {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: null, p95: null, worst: null, count: 0 };
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, higherIsBetter ? 0.05 : 0.95),
    worst: higherIsBetter ? sorted[0]! : sorted[sorted.length - 1]!,
    count: sorted.length,
  };
}
