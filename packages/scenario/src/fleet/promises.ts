/**
 * The promises of issue 11 §2, as data: what each reads, when a house keeps it, and how many houses of a fleet
 * may break it. The fleet bench counts the houses breaking each; houses.promises.test asserts them house by
 * house.
 */
import type { Metrics } from '../bench/metrics';

export interface HousePromise {
  id: string;
  /** The promise in the owner's words. */
  text: string;
  /** The metric it reads (its worst house is the one with the worst value of it). */
  metric: keyof Metrics;
  /** The goal as it reads in a table. */
  goal: string;
  /** Whether a house keeps it: ours, and the references' metrics on the same house where the promise compares. */
  kept(m: Metrics, references: readonly Metrics[]): boolean;
  /** Share of the fleet allowed to break it (0: no house may). */
  allowedShare: number;
}

/** The promises that make a strategy safe in a house; the energy promise compares only with safe references. */
export const SAFETY_PROMISES: readonly HousePromise[] = [
  {
    id: 'breaker',
    text: "no line's breaker heats past what its conventional non-tripping current (1.13 × In) would reach",
    metric: 'thermalPeak',
    goal: '≤ 1.0',
    kept: (m) => m.thermalPeak <= 1,
    allowedShare: 0,
  },
  {
    id: 'over145',
    text: '0 s above 1.45 × In in at least 99 % of the houses',
    metric: 'over145Seconds',
    goal: '0 s in ≥ 99 %',
    kept: (m) => m.over145Seconds === 0,
    allowedShare: 0.01,
  },
  {
    id: 'over145-twice',
    text: 'never above 1.45 × In twice from the same appliance',
    metric: 'over145RepeatMax',
    goal: '≤ 1',
    kept: (m) => m.over145RepeatMax <= 1,
    allowedShare: 0,
  },
  {
    id: 'overload-run',
    text: 'no run over the fuse longer than 10 s',
    metric: 'overloadMaxEventS',
    goal: '≤ 10 s',
    kept: (m) => m.overloadMaxEventS <= 10,
    allowedShare: 0,
  },
  {
    id: 'quarters',
    text: 'no quarter above the target where the house alone stayed under it (outages and drops included)',
    metric: 'quartersOverTarget',
    goal: '0',
    kept: (m) => m.quartersOverTarget === 0,
    allowedShare: 0,
  },
  {
    id: 'failsafe',
    text: 'fail-safe within 15 s everywhere (silent or frozen meter)',
    metric: 'failsafeMaxS',
    goal: '≤ 15 s',
    kept: (m) => m.failsafeMaxS <= 15,
    allowedShare: 0,
  },
  {
    id: 'setpoint-changes',
    text: 'at most 120 setpoint changes per hour per charger',
    metric: 'setpointChangesMaxHour',
    goal: '≤ 120',
    kept: (m) => m.setpointChangesMaxHour <= 120,
    allowedShare: 0,
  },
  {
    id: 'pauses',
    text: 'no pause shorter than the car tolerates',
    metric: 'pausesTooShort',
    goal: '0',
    kept: (m) => m.pausesTooShort === 0,
    allowedShare: 0,
  },
];

/** Energy a reference may have above ours before it counts (kWh): rounding of the metrics. */
const ENERGY_SLACK_KWH = 0.001;

/** Whether a strategy keeps every safety promise in a house. */
export const keepsSafety = (m: Metrics) => SAFETY_PROMISES.every((p) => p.kept(m, []));

/** The promises on the cars' energy in each house. */
export const ENERGY_PROMISES: readonly HousePromise[] = [
  {
    id: 'energy-floor',
    text: 'the cars get at least 80 % of the perfect-foresight bound in every house',
    metric: 'evEnergyRatio',
    goal: '≥ 0.80',
    kept: (m) => m.evEnergyRatio >= 0.8,
    allowedShare: 0,
  },
  {
    id: 'energy-vs-references',
    text: 'at least the energy of every reference strategy that keeps the same promises in that house',
    metric: 'evEnergyKwh',
    goal: '≥ safe refs',
    kept: (m, refs) => refs.every((r) => !keepsSafety(r) || m.evEnergyKwh >= r.evEnergyKwh - ENERGY_SLACK_KWH),
    allowedShare: 0,
  },
];

export const PROMISES: readonly HousePromise[] = [...SAFETY_PROMISES, ...ENERGY_PROMISES];

/** Promises on the fleet's distribution of the energy ratio. */
export const FLEET_ENERGY_GOALS: ReadonlyArray<{ id: string; quantile: number; atLeast: number; text: string }> = [
  { id: 'energy-median', quantile: 0.5, atLeast: 0.97, text: 'EV energy ÷ perfect-foresight bound: median ≥ 0.97' },
  { id: 'energy-p5', quantile: 0.05, atLeast: 0.9, text: 'EV energy ÷ perfect-foresight bound: 5th percentile ≥ 0.90' },
];
