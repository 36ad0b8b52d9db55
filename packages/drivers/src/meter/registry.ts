/**
 * The meter sources of this package, one entry each, and the factory that reads them: a source's
 * module is loaded only when used, so a Raspberry Pi without serial hardware never loads serialport.
 */
import { httpMeterEntry } from './http-entry';
import type { MeterSource } from './meter-source';
import { replayMeterEntry } from './replay-entry';
import { serialMeterEntry } from './serial-entry';
import { streamMeterEntry } from './stream-entry';
import { tcpMeterEntry } from './tcp-entry';

export const METER_SOURCES = [serialMeterEntry, tcpMeterEntry, replayMeterEntry, httpMeterEntry, streamMeterEntry];

type Entry = (typeof METER_SOURCES)[number];
/** The settings of any source of this package, told apart by `source`. */
export type MeterSourceConfig = Entry extends infer E
  ? E extends { open: (c: infer C, x: never) => unknown }
    ? C
    : never
  : never;
export type MeterSourceKind = MeterSourceConfig['source'];

export const METER_SOURCE_KINDS: readonly MeterSourceKind[] = METER_SOURCES.map((e) => e.name);

/** Creates (does not start) the source the settings name. */
export async function createMeterSource(config: MeterSourceConfig): Promise<MeterSource> {
  const entry = METER_SOURCES.find((e) => e.name === config.source);
  if (!entry) {
    const source = (config as { source?: unknown }).source;
    throw new RangeError(`meter.source "${String(source)}" is not one of ${METER_SOURCE_KINDS.join(', ')}`);
  }
  return (entry.open as (c: MeterSourceConfig, context: unknown) => Promise<MeterSource>)(config, undefined);
}
