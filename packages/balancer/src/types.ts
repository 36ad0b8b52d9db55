/** The balancer's configuration, input and decision. */
import type { ChargerCapabilities, ChargerMeasurement, Phase } from './charger-state';
import type { LoadSummary } from './house-model';
import type { ClockState } from './meter-clock';
import type { ClosedQuarter } from './quarter-budget';
import type { Reason } from './reasons';
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
  /**
   * The import register over all tariffs (1-0:1.8.1 + 1-0:1.8.2, kWh; a parsed reading's `energy`): where the meter
   * sends no quarter average (DSMR, Smarty) it counts the quarter to the Wh between telegrams 10 s apart.
   */
  energy?: { importKwh: number | null } | null;
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
    /** kW kept under the capacity target (default 0.02). */
    capacityKw?: number;
    /**
     * Room (kW) kept under 1.45 × In, the breaker's conventional tripping current, for an appliance the
     * house has not shown yet (default 3: a kettle, oven or boiler), on each line no more than takes the house
     * alone to its fuse. Loads already seen keep room for their own step. 0 keeps room for seen loads only:
     * their first switch-on may then pass 1.45 × In for the car's response time.
     */
    unseenStepKw?: number;
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
  /**
   * Seconds a car takes to follow a new setpoint; the quarter budget commits the present power for this long.
   * Unset (the default): learned per car from how it follows, 5 s until it has been seen.
   */
  actuationLagS?: number;
  /** No starts or raises in the last actuationLagS + freezeS seconds of a quarter (default 20 s). */
  freezeS?: number;
  /**
   * The shortest run the quarter plan starts (default 60 s): a car whose minimum does not fit the quarter's even
   * rate starts its run when the energy left lasts at least this long at its power. A house surge may still end
   * the run earlier: the target comes first.
   */
  minRunS?: number;
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
   * Per-charger overrides by id: priority, safe current, the plugged car's own minimum and maximum current
   * (some cars need 7–8 A to start; the offer stays within both the charger's and the car's range), and the
   * shortest pause the car tolerates (some cars stop charging for good after too many short pauses).
   */
  chargers?: Array<{
    id: string;
    priority?: number;
    safeA?: number;
    carMinA?: number;
    carMaxA?: number;
    minPauseS?: number;
  }>;
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
  /** Why the limit is what it is; `REASON_TEXTS` has the sentence an owner reads for it. */
  reason: Reason;
  /** The limit or phases differ from the previous decision. */
  changed: boolean;
  /**
   * The charger's measurement as the balancer took it: `ok`, or why it was not used (missing, older than
   * the fuse loop can act on, or outside what the charger and the site can physically draw).
   */
  measurement: 'ok' | 'missing' | 'stale' | 'implausible';
}

export interface QuarterBudgetState {
  /** Start of the running quarter on the meter clock (ISO); null before the first reading. */
  quarterStart: string | null;
  /** The same instant in epoch ms (null before the first reading), and the seconds since it. */
  startMs: number | null;
  elapsedS: number;
  /** Import energy used so far this quarter (kWh). */
  usedKwh: number;
  /** Average import allowed for the rest of the quarter (kW); null without a target. */
  allowedKw: number | null;
  /** Effective target = max(2.5, owner's target, month peak); null without a target. */
  targetKw: number | null;
  /** The quarter's average if the present import continued (kW). */
  projectedKw: number;
  /** The house's expected import over the rest of the quarter, learned loads included (kWh). */
  houseRestKwh: number;
  /** The quarter that ended at this step (once), for the app to store. */
  closed: ClosedQuarter | null;
}

export interface Decision {
  chargers: ChargerDecision[];
  quarter: QuarterBudgetState;
  /** No valid telegram within the fail-safe timeout. */
  failsafe: boolean;
  /** Milliseconds since the last valid telegram (null before the first). */
  dataAgeMs: number | null;
  /**
   * The meter as the balancer sees it: `fresh` data, `stale` (a repeated telegram or a stopped clock: no
   * data), or `silent`; and its clock (`jump` while it jumps, `unset` without one).
   */
  meter: { data: 'fresh' | 'stale' | 'silent'; clock: ClockState };
}

export interface Balancer {
  step(input: BalancerInput): Decision;
  /**
   * Applies new settings to the running balancer: every charger's state (limit, timers) and the
   * running quarter are kept, so a settings change never forgets what the chargers were told.
   */
  reconfigure(config: BalancerConfig): void;
  /** What the balancer has learned of the house's loads (for the state API and the dashboard). */
  learnedLoads(nowMs: number): LoadSummary[];
}
