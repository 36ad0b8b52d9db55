/**
 * The balancer's charger types: what it knows of a charger (capabilities, measurement) and the
 * interface every driver implements, and the one physical rule drivers share with the balancer: which
 * measured currents a charger can really draw. Drivers and simulators import them; no I/O here.
 */
import type { EventEmitter } from 'node:events';

export type Phase = 1 | 2 | 3;

export interface ChargerCapabilities {
  id: string;
  /** Grid lines the charger is wired to (on 3x230 a 1-phase charger lists two lines). */
  phases: Phase[];
  minA: number;
  maxA: number;
  /** Can switch between 1 and 3 phases while charging. */
  switchPhases: boolean;
  /** The current every car can take when the module goes silent (the charger's own fail-safe). */
  safeA: number;
  /** Higher is served first when sharing; default 0. */
  priority?: number;
}

/**
 * A measured current outside [−PLAUSIBLE_SLACK_A, plausibleMaxA(cap)] is not physics: an mA/A mix-up, a
 * sign error, a broken meter. Cars draw up to their offer plus meter noise; 25 % and 2 A of slack.
 */
export const PLAUSIBLE_SLACK_A = 2;
export const plausibleMaxA = (cap: Pick<ChargerCapabilities, 'maxA'>): number => 1.25 * cap.maxA + PLAUSIBLE_SLACK_A;
export const isPlausibleCurrent = (a: number, cap: Pick<ChargerCapabilities, 'maxA'>): boolean =>
  Number.isFinite(a) && a >= -PLAUSIBLE_SLACK_A && a <= plausibleMaxA(cap);

/** What the charger reports: measured per-line current (A) and session state. */
export interface ChargerMeasurement {
  connected: boolean;
  /** A car is plugged in and a session is active. */
  vehiclePlugged: boolean;
  /** Measured current per wired line, in the order of `phases`; null when not reported. */
  currentA: (number | null)[];
  /** Energy delivered this session (kWh). */
  sessionKwh: number;
  /**
   * When the charger says this session began (epoch ms); absent when it cannot say (a session taken over after
   * the module's restart). A session that began after the module last saw a car is another car's.
   */
  sessionStartMs?: number;
  /** The limit the charger has acknowledged, in amperes (null when unknown). */
  appliedLimitA: number | null;
  appliedPhases: 1 | 3 | null;
  /** Epoch ms of the measurement. */
  at: number;
}

/** What a charger tells its listeners; an `EventEmitter<ChargerEvents>` map. */
export interface ChargerEvents {
  measurement: [m: ChargerMeasurement];
  /** Connection up/down, or a protocol-level problem (ignoring its limit, rejecting a profile). */
  status: [status: { connected: boolean; problem?: string }];
}

/** A charger is enabled and takes a current: one interface for every driver (OCPP, simulated, …). */
export interface Charger extends EventEmitter<ChargerEvents> {
  readonly capabilities: ChargerCapabilities;
  readonly measurement: ChargerMeasurement;
  /**
   * Sets the offered current (0 = pause). Call it every control step with the limit wanted now: the
   * driver sends only what the device has not acknowledged yet (a new value, a reconnect, a refusal)
   * and renews a leased limit before it lapses; when the calls stop, the lease runs out and the
   * device falls back to its own fail-safe.
   */
  setLimit(amps: number, phases?: 1 | 3): Promise<void>;
  stop(): Promise<void>;
}
