/** The balancer's configuration, input and decision. */
import type { ChargerCapabilities, ChargerMeasurement, Phase } from './charger-state';
import type { Connection } from './site';

/**
 * The part of a parsed telegram the balancer reads. Any `Reading` of @p1/dsmr fits; the bench builds these
 * directly without encoding telegrams.
 */
export interface MeterSnapshot {
  ok: boolean;
  /** Meter clock, ISO 8601 with offset; null falls back to the input's nowMs. */
  timestamp: string | null;
  power: { importKw: number | null; exportKw: number | null };
  phases: Array<{
    phase: Phase;
    voltageV: number | null;
    currentA: number | null;
    importKw: number | null;
    exportKw: number | null;
  }>;
  capacity: { quarterAverageKw: number | null; monthPeakKw: number | null } | null;
}

export type SolarMode = 'off' | 'surplus' | 'min+surplus';

export interface BalancerConfig {
  site: {
    connection: Connection;
    fuseA: number;
    /** Belgian quarter-hour peak target (kW); null or absent = fuse protection only. */
    capacityTargetKw?: number | null;
    /** Peak already reached this month before the balancer started (kW). */
    monthPeakKw?: number;
    /** Never let the month's peak grow: aim at max(2.5 kW, month peak so far) even if the target is higher. */
    neverRaiseMonthPeak?: boolean;
  };
  margins?: {
    /** Amperes kept free under the fuse on every line (default 0.5). */
    fuseA?: number;
    /** kW kept under the capacity target (default 0.05). */
    capacityKw?: number;
  };
  /**
   * No valid telegram for this long → every charger to its safe current (default 10 s). A meter that
   * sends less often (DSMR 4: every 10 s) stretches it to 2.5 telegram intervals.
   */
  failsafeTimeoutS?: number;
  /** Minimum time between two raises of one charger (default 5 s). */
  raiseIntervalS?: number;
  /** Largest single raise (default 8 A); cuts are never limited. */
  rampA?: number;
  /** Seconds a car takes to follow a new setpoint; the quarter budget commits the present power for this long (default 8 s). */
  actuationLagS?: number;
  /** No raises in the last actuationLagS + freezeS seconds of a quarter (default 20 s). */
  freezeS?: number;
  /** Once charging, do not pause for solar reasons before this (default 120 s). */
  minChargeS?: number;
  /** Once paused, do not restart before this (default 60 s). */
  minPauseS?: number;
  solar?: {
    mode?: SolarMode;
    /** Surplus must last this long before a start (default 60 s). */
    startDelayS?: number;
    /** Surplus must be gone this long before a stop (default 180 s). */
    stopDelayS?: number;
    /** Grid import tolerated on top of the surplus (kW, default 0). */
    gridAllowanceKw?: number;
  };
  /** 1/3-phase switching: the better mode must hold this long (default 60 s); switches at most every holdS (default 300 s). */
  phaseSwitch?: { delayS?: number; holdS?: number };
  /**
   * Per-charger overrides by id: priority, safe current, and the plugged car's own minimum and maximum
   * current (some cars need 7–8 A to start; the offer stays within both the charger's and the car's range).
   */
  chargers?: Array<{ id: string; priority?: number; safeA?: number; carMinA?: number; carMaxA?: number }>;
}

export interface ChargerInput {
  capabilities: ChargerCapabilities;
  measurement: ChargerMeasurement;
}

export interface BalancerInput {
  /** The balancer's clock (epoch ms): drives fail-safe, delays and ramps. */
  nowMs: number;
  /** A new telegram, or null when none arrived since the last step. */
  reading: MeterSnapshot | null;
  chargers: ChargerInput[];
}

export interface ChargerDecision {
  id: string;
  /** Current to offer per phase (A); 0 = paused. */
  limitA: number;
  phases: 1 | 3;
  /** Why the limit is what it is: "L2 fuse", "quarter budget", "solar surplus", "fail-safe", "car limit", … */
  reason: string;
  /** The limit or phases differ from the previous decision. */
  changed: boolean;
}

export interface QuarterBudgetState {
  /** Start of the running quarter on the meter clock (ISO); null before the first reading. */
  quarterStart: string | null;
  /** Import energy used so far this quarter (kWh). */
  usedKwh: number;
  /** Average import allowed for the rest of the quarter (kW); null without a target. */
  allowedKw: number | null;
  /** Effective target = max(2.5, owner's target, month peak); null without a target. */
  targetKw: number | null;
  /** The quarter's average if the present import continued (kW). */
  projectedKw: number;
}

export interface Decision {
  chargers: ChargerDecision[];
  quarter: QuarterBudgetState;
  /** No valid telegram within the fail-safe timeout. */
  failsafe: boolean;
  /** Milliseconds since the last valid telegram (null before the first). */
  dataAgeMs: number | null;
}

export interface Balancer {
  step(input: BalancerInput): Decision;
  /**
   * Applies new settings to the running balancer: every charger's state (limit, timers) and the
   * running quarter are kept, so a settings change never forgets what the chargers were told.
   */
  reconfigure(config: BalancerConfig): void;
}
