/**
 * The metrics of a run, in the order of packages/scenario/README.md#metrics; the last ones serve the fleet's
 * promises (issue 11 §2).
 */
import { MIN_BILLED_KW } from '@p1/balancer';

export interface Metrics {
  overloadSeconds: number;
  overloadMaxEventS: number;
  over113Seconds: number;
  over145Seconds: number;
  quartersOverTarget: number;
  maxQuarterOvershootKw: number;
  evEnergyKwh: number;
  optimalEvEnergyKwh: number;
  evEnergyRatio: number;
  setpointChangesPerHour: number;
  pauses: number;
  failsafeMaxS: number;
  /** Hottest breaker (or fuse) state of any line, relative to a steady conventional non-tripping current's. */
  thermalPeak: number;
  stepP99Us: number;
  /** Most overloads above 1.45 × fuseA that one appliance's on-step (or one car's rise) caused. */
  over145RepeatMax: number;
  /** Most setpoint changes one charger made within one hour of the run. */
  setpointChangesMaxHour: number;
  /** Shortest pause the strategy imposed on a car that wanted to charge (s); null when it paused none. */
  shortestPauseS: number | null;
  /** Pauses shorter than the car tolerates (its `minPauseS`). */
  pausesTooShort: number;
}

export const METRIC_KEYS: ReadonlyArray<keyof Metrics> = [
  'overloadSeconds',
  'overloadMaxEventS',
  'over113Seconds',
  'over145Seconds',
  'quartersOverTarget',
  'maxQuarterOvershootKw',
  'evEnergyKwh',
  'optimalEvEnergyKwh',
  'evEnergyRatio',
  'setpointChangesPerHour',
  'pauses',
  'failsafeMaxS',
  'thermalPeak',
  'stepP99Us',
  'over145RepeatMax',
  'setpointChangesMaxHour',
  'shortestPauseS',
  'pausesTooShort',
];

/** The quarter target the bill would use: max(2.5 kW, owner's target, month peak so far). */
export function quarterTarget(ownerKw: number, monthPeakKw: number): number {
  return Math.max(MIN_BILLED_KW, ownerKw, monthPeakKw);
}
