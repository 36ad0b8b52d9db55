/**
 * One charger driver of the registry. The module's configuration (`chargers[i].driver` and the
 * driver's own keys), the factory (`createChargers`) and the docs all read the table of these
 * entries; adding a driver is one entry file next to it and one line in a table (CONTRIBUTING.md).
 */
import type { Charger, ChargerCapabilities } from '@p1/balancer/charger-state';
import type * as v from 'valibot';
import type { DriverOptions } from '../fields';
import type { Logger } from './logger';
import type { OcppCentralSystem } from './ocpp/central-system';
import type { OverdrawPolicy } from './ocpp/overdraw';

/** The central-system settings (the module's `ocpp:` section). */
export interface OcppServerOptions {
  host?: string;
  port?: number;
  heartbeatIntervalS?: number;
  failsafeLeaseS?: number;
  /** MeterValueSampleInterval set on each charge point (default 1 s); null leaves theirs. */
  meterValueSampleIntervalS?: number | null;
  overdraw?: Partial<OverdrawPolicy>;
}

export interface ChargerDriverContext {
  ocpp?: OcppServerOptions;
  logger: Logger;
  now?: () => number;
}

/** One configured charger as its driver gets it: what the balancer knows of it, and the driver's own keys. */
export interface DriverCharger<Options> {
  capabilities: ChargerCapabilities;
  options: Options;
}

/** A driver's chargers, started together (all OCPP chargers share one server). */
export interface DriverChargers {
  readonly chargers: Charger[];
  /** The OCPP central system, from the `ocpp` driver. */
  readonly ocpp?: OcppCentralSystem;
  close(): Promise<void>;
}

export interface ChargerDriverEntry<Options extends DriverOptions = DriverOptions> {
  /** `chargers[i].driver` in the configuration. */
  readonly name: string;
  /** One line for the docs (the README's table is checked against it). */
  readonly summary: string;
  /** This driver's keys besides the common ones (id, phases, minA, maxA, safeA, switchPhases, priority). */
  readonly options: Options;
  /** Loads the driver module only now and starts its chargers, in the order given. */
  readonly start: (
    chargers: DriverCharger<v.InferOutput<Options>>[],
    context: ChargerDriverContext,
  ) => Promise<DriverChargers>;
}

/** Keeps an entry's types exact where it is written. */
export function chargerDriverEntry<Options extends DriverOptions>(
  entry: ChargerDriverEntry<Options>,
): ChargerDriverEntry<Options> {
  return entry;
}
