import type { EventEmitter } from 'node:events';
import type { ChargerCapabilities, ChargerMeasurement } from '@p1/balancer/charger-state';

export type { ChargerCapabilities, ChargerMeasurement, Phase } from '@p1/balancer/charger-state';

export interface ChargerEvents {
  measurement: [m: ChargerMeasurement];
  /** Connection up/down, or a protocol-level problem (ignoring its limit, rejecting a profile). */
  status: [status: { connected: boolean; problem?: string }];
}

/** A charger is enabled and takes a current: one interface for OCPP and the simulated charger. */
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
