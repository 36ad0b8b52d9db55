import type { EventEmitter } from 'node:events';

export type Phase = 1 | 2 | 3;

/** What a charger can do; the balancer's site model uses these. */
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
}

/** What the charger reports: measured per-line current (A) and session state. */
export interface ChargerMeasurement {
  connected: boolean;
  /** A car is plugged in and a session is active. */
  vehiclePlugged: boolean;
  /** Measured current per wired line, in the order of `phases`; null when not reported. */
  currentA: (number | null)[];
  /** Energy delivered this session (kWh). */
  sessionKwh: number;
  /** The limit the charger has acknowledged, in amperes (null when unknown). */
  appliedLimitA: number | null;
  appliedPhases: 1 | 3 | null;
  at: number;
}

export interface ChargerEvents {
  measurement: [m: ChargerMeasurement];
  /** Connection up/down, or a protocol-level problem (ignoring its limit, rejecting a profile). */
  status: [status: { connected: boolean; problem?: string }];
}

/** A charger is enabled and takes a current: one interface for OCPP and the simulated charger. */
export interface Charger extends EventEmitter<ChargerEvents> {
  readonly capabilities: ChargerCapabilities;
  readonly measurement: ChargerMeasurement;
  /** Sets the offered current (0 = pause). Re-sent to the device only when it changes. */
  setLimit(amps: number, phases?: 1 | 3): Promise<void>;
  stop(): Promise<void>;
}
