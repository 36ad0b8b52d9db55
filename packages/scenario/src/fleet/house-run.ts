/** One generated house run by every strategy of a fleet, sharing the house and the bound between them. */
import type { Metrics } from '../bench/metrics';
import { optimalEvEnergyKwh } from '../bench/optimal';
import { type Over145Event, runScenario } from '../bench/runner';
import { houseTimeline } from '../house';
import { generateHouse } from '../houses/generate';
import type { Profile } from '../houses/sites';
import type { Scenario } from '../scenario';

export interface HouseOutcome {
  index: number;
  name: string;
  /** Per strategy, in the order asked. */
  metrics: Record<string, Metrics>;
  over145Events: Record<string, Over145Event[]>;
  /** Milliseconds: the house (timeline and the runner's own loop), the bound, each strategy's steps. */
  timing: { physicsMs: number; boundMs: number; strategyMs: Record<string, number> };
}

/** A fleet's house: the generated one, its meter sending every `telegramEveryS` seconds (1 leaves it as drawn). */
export function fleetHouse(seed: number, index: number, profile: Profile, telegramEveryS = 1): Scenario {
  const scenario = generateHouse(seed, index, profile);
  if (telegramEveryS !== 1) scenario.site.telegramEveryS = telegramEveryS;
  return scenario;
}

export function runHouse(
  seed: number,
  index: number,
  profile: Profile,
  strategyNames: readonly string[],
  telegramEveryS = 1,
): HouseOutcome {
  const scenario = fleetHouse(seed, index, profile, telegramEveryS);
  const began = performance.now();
  const house = houseTimeline(scenario);
  let physicsMs = performance.now() - began;
  const boundAt = performance.now();
  const optimalKwh = optimalEvEnergyKwh(scenario, house);
  const boundMs = performance.now() - boundAt;
  const outcome: HouseOutcome = {
    index,
    name: scenario.name,
    metrics: {},
    over145Events: {},
    timing: { physicsMs: 0, boundMs, strategyMs: {} },
  };
  for (const strategy of strategyNames) {
    const r = runScenario(scenario, { strategy, house, optimalKwh });
    outcome.metrics[strategy] = r.metrics;
    outcome.over145Events[strategy] = r.over145Events;
    outcome.timing.strategyMs[strategy] = r.timing.strategyMs;
    physicsMs += r.timing.physicsMs;
  }
  outcome.timing.physicsMs = physicsMs;
  return outcome;
}
