/** One generated house run by every strategy of a fleet, sharing the house and the bound between them. */
import type { BalancerConfig } from '@p1/balancer';
import type { Metrics } from '../bench/metrics';
import { optimalEvEnergyKwh } from '../bench/optimal';
import { type HeldTime, type Over145Event, type QuarterOver, runScenario } from '../bench/runner';
import { formatTimeOfDay, meterTimeOfDayS, parseStart } from '../clock';
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
  /** What broke the first strategy's fuse and quarter promises, one sentence each (see `whyOf`). */
  why: string[];
  /** How long the first strategy held cars that wanted energy under their maximum, and why (see `heldWhy`). */
  held: HeldTime;
  /** Milliseconds: the house (timeline and the runner's own loop), the bound, each strategy's steps. */
  timing: { physicsMs: number; boundMs: number; strategyMs: Record<string, number> };
}

/**
 * What a fleet sets alike in every generated house, to measure one corner of what the generator draws (a field
 * left out stays as drawn).
 */
export interface HouseVariant {
  /** Seconds between the meter's telegrams (10: Dutch DSMR 4 and Luxembourg's Smarty; drawn: 1). */
  telegramEveryS?: number;
  /** Seconds every car takes to follow a new limit (drawn 2–5; IEC 61851 allows 5). */
  carLagS?: number;
  /** Seconds between every charger's samples of its car's current (drawn 1, 5 or 10). */
  sampleEveryS?: number;
}

/** What a fleet's options set alike in every house (a run's or a report's). */
export function variantOf(o: {
  telegramEveryS: number;
  carLagS: number | null;
  sampleEveryS: number | null;
}): HouseVariant {
  return {
    telegramEveryS: o.telegramEveryS,
    ...(o.carLagS === null ? {} : { carLagS: o.carLagS }),
    ...(o.sampleEveryS === null ? {} : { sampleEveryS: o.sampleEveryS }),
  };
}

/** A fleet's house: the generated one, with what `variant` sets. */
export function fleetHouse(seed: number, index: number, profile: Profile, variant: HouseVariant = {}): Scenario {
  const scenario = generateHouse(seed, index, profile);
  const { telegramEveryS, carLagS, sampleEveryS } = variant;
  if (telegramEveryS !== undefined && telegramEveryS !== 1) scenario.site.telegramEveryS = telegramEveryS;
  if (carLagS !== undefined) for (const ev of scenario.evs) ev.lagS = carLagS;
  if (sampleEveryS !== undefined) for (const c of scenario.chargers) c.sampleEveryS = sampleEveryS;
  return scenario;
}

/** The balancer's margins a fleet may set (`BalancerConfig.margins`); the references keep none. */
export type Margins = NonNullable<BalancerConfig['margins']>;

export function runHouse(
  seed: number,
  index: number,
  profile: Profile,
  strategyNames: readonly string[],
  variant: HouseVariant = {},
  margins: Margins = {},
): HouseOutcome {
  const scenario = fleetHouse(seed, index, profile, variant);
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
    why: [],
    held: { wantingS: 0, heldS: {} },
    timing: { physicsMs: 0, boundMs, strategyMs: {} },
  };
  for (const strategy of strategyNames) {
    const r = runScenario(scenario, { strategy, house, optimalKwh, config: { margins } });
    outcome.metrics[strategy] = r.metrics;
    outcome.over145Events[strategy] = r.over145Events;
    if (strategy === strategyNames[0]) {
      outcome.why = whyOf(scenario, r.over145Events, r.quartersOver);
      outcome.held = r.held;
    }
    outcome.timing.strategyMs[strategy] = r.timing.strategyMs;
    physicsMs += r.timing.physicsMs;
  }
  outcome.timing.physicsMs = physicsMs;
  return outcome;
}

/**
 * Our run's overloads above 1.45 × In and quarters over target, each as the sentence a developer starts a trace
 * from: when, what switched on, and whether that appliance had been seen before that day.
 */
export function whyOf(
  scenario: Scenario,
  over145: readonly Over145Event[],
  quarters: readonly QuarterOver[],
): string[] {
  const startMs = parseStart(scenario.start);
  const clock = (atS: number) => formatTimeOfDay(meterTimeOfDayS(startMs + atS * 1000));
  // the cause is an appliance's switch-on, a car's rise, or "house" where no on-step was seen on that line
  const out = over145.map((e) => `${clock(e.atS)} ${e.seconds} s above 1.45 × In, set off by ${e.cause}`);
  for (const q of quarters) {
    const loads = q.switchedOn.map(
      (l) => `${l.name} ${l.kw} kW on L${l.lines.join('+L')}${l.first ? ' (first that day)' : ''}`,
    );
    out.push(
      `${clock(q.atS).slice(0, 5)} quarter ${q.overKw.toFixed(3)} kW over the target; switched on in it: ` +
        (loads.length > 0 ? loads.join(', ') : 'nothing'),
    );
  }
  return out;
}

/** Reasons that held the cars at least this long are named (h); the shorter ones are summed as "other reasons". */
const HELD_NAMED_H = 0.1;

/**
 * Where a house's cars got less energy than they could have: how long they were held under their maximum while they
 * wanted energy, and by which of the strategy's reasons, longest first ("cars held under their maximum 13.9 of the 14.3
 * car-hours they wanted energy: headroom kept 13.6 h, L2 fuse 0.3 h").
 */
export function heldWhy(held: HeldTime): string {
  const hours = (s: number) => (s / 3600).toFixed(1);
  const reasons = Object.entries(held.heldS).sort((a, b) => b[1] - a[1]);
  const heldS = reasons.reduce((sum, [, s]) => sum + s, 0);
  const named = reasons.filter(([, s]) => s / 3600 >= HELD_NAMED_H).map(([r, s]) => `${r} ${hours(s)} h`);
  const restS = reasons.filter(([, s]) => s / 3600 < HELD_NAMED_H).reduce((sum, [, s]) => sum + s, 0);
  // their sum is said only where it shows as 0.1 h or more
  if (restS / 3600 >= 0.05) named.push(`other reasons ${hours(restS)} h`);
  return (
    `cars held under their maximum ${hours(heldS)} of the ${hours(held.wantingS)} car-hours they wanted energy` +
    (named.length > 0 ? `: ${named.join(', ')}` : '')
  );
}
