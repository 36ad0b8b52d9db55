/** What the balancer knows of a charger: its capabilities and what it measures. Drivers produce these. */

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
  /** Epoch ms of the measurement. */
  at: number;
}
