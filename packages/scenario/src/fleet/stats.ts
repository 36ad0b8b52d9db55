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

/**
 * The k-th smallest (0-based) of the first n values, as `values.slice(0, n).sort()[k]` would give it, in linear
 * time: a run's p99 over 86,400 step times needs no full sort. Works on a copy; no NaN, and −0 counts as 0.
 */
export function kthSmallest(values: Float64Array, n: number, k: number): number {
  const a = values.slice(0, n);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    // Hoare partition around the median of three, so sorted or constant runs stay linear.
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), a[hi]!));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
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
