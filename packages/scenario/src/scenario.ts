/**
 * The scenario format (packages/scenario/README.md#scenario-format): input of `p1 simulate`, the bench and the
 * meter simulator.
 */
import type { Connection } from '@p1/balancer';

export type { Connection };
export type Line = 1 | 2 | 3;

export interface SiteSpec {
  connection: Connection;
  fuseA: number;
  /** Belgian quarter-hour peak target (kW); null = fuse only. */
  capacityTargetKw: number | null;
  /** Peak already reached earlier this month (kW). */
  monthPeakKw: number;
  /** What protects the connection: an IEC 60898-1 breaker (B or C curve) or a gG fuse (IEC 60269); default "C". */
  breaker?: BreakerKind;
  /**
   * Seconds between the meter's telegrams: 1 for Belgian e-MUCS and DSMR 5 meters (default), 10 for Dutch DSMR 4
   * and Luxembourg Smarty meters.
   */
  telegramEveryS?: number;
  /**
   * Decimals of the line currents the meter sends: 2 for Belgian e-MUCS meters (default), 0 for Dutch DSMR meters,
   * which send whole amperes (DSMR's F3(0,0)); the bench cuts them down, the worse of what a meter may do.
   */
  currentDecimals?: 0 | 2;
}

export type BreakerKind = 'B' | 'C' | 'gG';

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
  /** 0–0.9: each cycle's on and off times vary by up to this fraction (a thermostat is not a clock); needs onS > 0. */
  jitter?: number;
  /** Powers (kW, each ≤ kw) one of which each on-period draws, chosen by the seed (a modulating load); needs onS > 0. */
  levels?: number[];
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
  /**
   * Seconds between the charger's current samples (default 1: one per telegram). The module sees the car's
   * current as it was at the last sample: an OCPP charger that refuses 1 s (MeterValueSampleInterval) takes 5 or 10.
   */
  sampleEveryS?: number;
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
  /** The shortest pause (s) the car tolerates without trouble (default 0: any). */
  minPauseS?: number;
}

export type FaultSpec =
  | { kind: 'meterOutage'; at: string; durationS: number }
  | { kind: 'dropTelegrams'; rate: number }
  /** The meter keeps sending its last telegram unchanged (same clock, same values) for durationS, daily. */
  | { kind: 'frozenMeter'; at: string; durationS: number };

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
