/**
 * Draws from the house generator's distributions with the package's seeded PRNG. Only arithmetic and
 * rounding touch the numbers, so the same seed gives byte-identical houses on every machine.
 */
import { createRng, type Rng } from '../prng';

export interface Draw {
  /** Uniform in [a, b). */
  uniform(a: number, b: number): number;
  /** Integer uniform in [a, b]. */
  int(a: number, b: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One of the items, by weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** One of the items, each as likely. */
  pick<T>(items: readonly T[]): T;
  /** Roughly bell-shaped in [a, b] (the mean of three uniforms): most draws near the middle. */
  around(a: number, b: number): number;
}

/** A generator's stream for house `index` of `seed`: independent of how many houses are drawn. */
export function drawFor(seed: number, index: number, stream = 0): Draw {
  return createDraw(createRng(houseSeed(seed, index) ^ Math.imul(stream + 1, 0x2f3a9b4d)));
}

/** The seed a generated house carries (its own noise, clouds and dropped telegrams): ≥ 0, below 2³¹. */
export function houseSeed(seed: number, index: number): number {
  let h = Math.imul((Math.floor(seed) | 0) ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  return (h >>> 0) % 0x7fffffff;
}

export function createDraw(rng: Rng): Draw {
  const draw: Draw = {
    uniform: (a, b) => a + (b - a) * rng(),
    int: (a, b) => a + Math.floor((b - a + 1) * rng()),
    chance: (p) => rng() < p,
    weighted(items) {
      let total = 0;
      for (const [, w] of items) total += w;
      let x = rng() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    pick: (items) => items[Math.floor(rng() * items.length)]!,
    around: (a, b) => a + ((b - a) * (rng() + rng() + rng())) / 3,
  };
  return draw;
}

/** Rounds to `step` (0.01 kW, 5 s, …) without floating noise in the written file. */
export function roundTo(x: number, step: number): number {
  return Number((Math.round(x / step) * step).toFixed(6));
}
