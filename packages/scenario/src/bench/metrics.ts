/** The metrics of CONTRACTS §4, in that order. */
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
  stepP99Us: number;
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
  'stepP99Us',
];

/** The quarter target the bill would use: max(2.5 kW, owner's target, month peak so far). */
export function quarterTarget(ownerKw: number, monthPeakKw: number): number {
  return Math.max(2.5, ownerKw, monthPeakKw);
}
