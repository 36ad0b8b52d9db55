/**
 * One meter source of the registry. The module's configuration, the factory and the docs all read
 * the table of these entries; adding a source is one entry file next to its driver and one line in a
 * table (see CONTRIBUTING.md).
 */
import type * as v from 'valibot';
import type { DriverOptions } from '../fields';
import type { MeterSource } from './meter-source';

/** What every source takes besides its own keys (`meter.smartyKey`). */
export interface MeterSourceCommon {
  smartyKey?: string;
}

export interface MeterSourceEntry<
  Config extends { source: string } = { source: string },
  Options extends DriverOptions | null = DriverOptions | null,
  Context = unknown,
> {
  /** `meter.source` in the configuration, `source` in code. */
  readonly name: Config['source'];
  /** One line for the docs (the README's table is checked against it). */
  readonly summary: string;
  /** The keys this source reads under `meter:`; null = code only (not offered in configuration files). */
  readonly options: Options;
  /** The driver's settings from the checked keys. */
  readonly configure: Options extends DriverOptions
    ? (options: v.InferOutput<Options>, common: MeterSourceCommon) => Config
    : null;
  /** Loads the driver module only now (no serialport on a machine without a serial meter) and makes the source. */
  readonly open: (config: Config, context: Context) => Promise<MeterSource>;
}

/** Keeps an entry's types exact where it is written. */
export function meterSourceEntry<
  Config extends { source: string },
  Options extends DriverOptions | null,
  Context = unknown,
>(entry: MeterSourceEntry<Config, Options, Context>): MeterSourceEntry<Config, Options, Context> {
  return entry;
}

/** The Smarty key as a driver setting, when there is one. */
export function smartyOf(common: MeterSourceCommon): MeterSourceCommon {
  return common.smartyKey ? { smartyKey: common.smartyKey } : {};
}
