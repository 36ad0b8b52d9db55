/**
 * The balancer's settings as its steps read them: the configuration with every default filled in, the quarter's
 * options, and the two questions about a charger's phases that its capabilities and the site's connection answer
 * (whether it may switch between one and three phases, and which it charges on unswitched).
 */
import type { ChargerCapabilities } from './charger-state';
import { DEFAULT_UNSEEN_STEP_KW } from './house-model';
import type { QuarterOptions } from './quarter-budget';
import type { Connection } from './site';
import type { BalancerConfig, SolarMode } from './types';

/** kW kept under the capacity target by default (`margins.capacityKw`): the meter's rounding and the cars' lag. */
export const DEFAULT_CAPACITY_MARGIN_KW = 0.02;
/** `minPauseS` and `minChargeS` when unset; exported so that the module's configuration defaults to them. */
export const DEFAULT_MIN_PAUSE_S = 60;
export const DEFAULT_MIN_CHARGE_S = 120;
/** `phaseSwitch.delayS` and `holdS` when unset; exported for the same reason. */
export const DEFAULT_PHASE_SWITCH_DELAY_S = 60;
export const DEFAULT_PHASE_SWITCH_HOLD_S = 300;

export interface Settings {
  connection: Connection;
  fuseA: number;
  marginA: number;
  unseenStepKw: number;
  failsafeMs: number;
  raiseIntervalMs: number;
  rampA: number;
  /** Configured response lag (s), or NaN to learn it from each car. */
  lagS: number;
  freezeS: number;
  minRunS: number;
  minChargeMs: number;
  minPauseMs: number;
  solarMode: SolarMode;
  solarStartMs: number;
  solarStopMs: number;
  gridAllowanceKw: number;
  switchDelayMs: number;
  switchHoldMs: number;
  overrides: Map<string, NonNullable<BalancerConfig['chargers']>[number]>;
  /** Some charger has a car minimum or maximum configured. */
  carLimits: boolean;
}

export function settingsOf(c: BalancerConfig): Settings {
  return {
    connection: c.site.connection,
    fuseA: c.site.fuseA,
    marginA: c.margins?.fuseA ?? 0.5,
    unseenStepKw: c.margins?.unseenStepKw ?? DEFAULT_UNSEEN_STEP_KW,
    failsafeMs: (c.failsafeTimeoutS ?? 10) * 1000,
    raiseIntervalMs: (c.raiseIntervalS ?? 5) * 1000,
    rampA: c.rampA ?? 8,
    lagS: c.actuationLagS ?? Number.NaN,
    freezeS: c.freezeS ?? 20,
    minRunS: c.minRunS ?? 60,
    minChargeMs: (c.minChargeS ?? DEFAULT_MIN_CHARGE_S) * 1000,
    minPauseMs: (c.minPauseS ?? DEFAULT_MIN_PAUSE_S) * 1000,
    solarMode: c.solar?.mode ?? 'off',
    solarStartMs: (c.solar?.startDelayS ?? 60) * 1000,
    solarStopMs: (c.solar?.stopDelayS ?? 180) * 1000,
    gridAllowanceKw: c.solar?.gridAllowanceKw ?? 0,
    switchDelayMs: (c.phaseSwitch?.delayS ?? DEFAULT_PHASE_SWITCH_DELAY_S) * 1000,
    switchHoldMs: (c.phaseSwitch?.holdS ?? DEFAULT_PHASE_SWITCH_HOLD_S) * 1000,
    overrides: new Map((c.chargers ?? []).map((o) => [o.id, o])),
    carLimits: (c.chargers ?? []).some((o) => o.carMinA !== undefined || o.carMaxA !== undefined),
  };
}

export function quarterOptionsOf(c: BalancerConfig): QuarterOptions {
  return {
    ownerTargetKw: c.site.capacityTargetKw ?? null,
    monthPeakKw: c.site.monthPeakKw ?? 0,
    neverRaiseMonthPeak: c.site.neverRaiseMonthPeak ?? false,
    marginKw: c.margins?.capacityKw ?? DEFAULT_CAPACITY_MARGIN_KW,
  };
}

export function canSwitch(s: Settings, cap: ChargerCapabilities): boolean {
  return cap.switchPhases && s.connection !== '1x230' && cap.phases.length === 3;
}

export function naturalPhases(s: Settings, cap: ChargerCapabilities): 1 | 3 {
  return s.connection !== '1x230' && cap.phases.length === 3 ? 3 : 1;
}
