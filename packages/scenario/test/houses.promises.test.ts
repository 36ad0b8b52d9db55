/**
 * The promises of issue 11 §2 for our strategy on a fixed set of generated houses, house by house, with the
 * references run beside it for the energy promise. It fails with today's balancer, so it runs only with
 * P1_HOUSE_PROMISES=1 until the controller of issue 11 §4 lands (then drop the skipIf).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FLEET_ENERGY_GOALS,
  type HouseOutcome,
  PROMISES,
  quantile,
  REFERENCE_STRATEGIES,
  runFleet,
} from '../src/index';

/** Seeds and house counts chosen to run within 3 minutes on two cores. */
const SETS = [
  { seed: 11, n: 40, profile: 'be' as const },
  { seed: 12, n: 10, profile: 'nl' as const },
];
const OURS = 'default';

describe.skipIf(!process.env.P1_HOUSE_PROMISES)('issue 11 §2 promises on generated houses', () => {
  const houses: Array<{ seed: number; outcome: HouseOutcome }> = [];

  beforeAll(async () => {
    for (const set of SETS) {
      const run = await runFleet({ ...set, strategies: [OURS, ...REFERENCE_STRATEGIES] });
      for (const outcome of run.outcomes) houses.push({ seed: set.seed, outcome });
    }
  }, 600_000);

  for (const promise of PROMISES) {
    it(`${promise.id}: ${promise.text}`, () => {
      const broken: string[] = [];
      for (const { seed, outcome } of houses) {
        const m = outcome.metrics[OURS]!;
        const refs = REFERENCE_STRATEGIES.map((r) => outcome.metrics[r]!);
        if (!promise.kept(m, refs))
          broken.push(
            `seed ${seed}, house ${outcome.index} (${outcome.name}): ${promise.metric} ${m[promise.metric]} (goal ${promise.goal})`,
          );
      }
      expect(broken.length, broken.join('\n')).toBeLessThanOrEqual(Math.floor(promise.allowedShare * houses.length));
    });
  }

  for (const goal of FLEET_ENERGY_GOALS) {
    it(goal.text, () => {
      const ratios = houses.map((h) => h.outcome.metrics[OURS]!.evEnergyRatio).sort((a, b) => a - b);
      expect(quantile(ratios, goal.quantile)).toBeGreaterThanOrEqual(goal.atLeast);
    });
  }
});
