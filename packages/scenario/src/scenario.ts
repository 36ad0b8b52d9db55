/** The scenario format of CONTRACTS.md §3: input of `p1 simulate`, the bench and the meter simulator. */

export type Connection = '1x230' | '3x230' | '3N400';
export type Line = 1 | 2 | 3;

export interface SiteSpec {
  connection: Connection;
  fuseA: number;
  /** Belgian quarter-hour peak target (kW); null = fuse only. */
  capacityTargetKw: number | null;
  /** Peak already reached earlier this month (kW). */
  monthPeakKw: number;
}

export interface LoadSpec {
  name: string;
  /** Grid lines (on 3x230 a single-phase load lists two). */
  phases: Line[];
  kw: number;
  /** Meter-clock time of day "HH:MM" (or "HH:MM:SS"). */
  at: string;
  durationS: number;
  /** > 0: the load cycles onS on, offS off while active. */
  onS: number;
  offS: number;
}

export interface PvSpec {
  peakKw: number;
  phases: Line[];
  /** 0 = clear sky, 1 = heavy, fast-changing clouds. */
  clouds: number;
}

export interface ChargerSpec {
  id: string;
  phases: Line[];
  minA: number;
  maxA: number;
  switchPhases: boolean;
  /** Higher is served first when sharing; default 0. */
  priority?: number;
}

export interface EvSpec {
  name: string;
  charger: string;
  /** Phases the car's on-board charger uses (1 or 3). */
  phases: 1 | 3;
  arrive: string;
  depart: string;
  needKwh: number;
  minA: number;
  maxA: number;
  /** Seconds before the car follows a new setpoint. */
  lagS: number;
  /** Seconds to ramp from 0 to maxA. */
  rampS: number;
  /** Fraction of the offered current the car actually draws (default 1). */
  drawRatio?: number;
}

export type FaultSpec =
  | { kind: 'meterOutage'; at: string; durationS: number }
  | { kind: 'dropTelegrams'; rate: number };

export interface Scenario {
  name: string;
  /** The meter clock at t=0, ISO 8601 with offset. */
  start: string;
  durationS: number;
  seed: number;
  site: SiteSpec;
  baseLoadKw: number;
  loads: LoadSpec[];
  pv: PvSpec | null;
  chargers: ChargerSpec[];
  evs: EvSpec[];
  faults: FaultSpec[];
}
