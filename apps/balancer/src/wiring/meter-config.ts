import { createMeterSource, type DriverOptions, type MeterSource, type MeterSourceConfig } from '@p1/drivers';
import * as v from 'valibot';
import type { MeterConfig } from '../config/schema';
import { DRIVERS, type DriverTables, type ModuleMeterContext } from '../drivers';

/**
 * Opens the configured meter source through its table entry: its own keys (checked by its schema),
 * then its factory, which loads the driver only now. The simulator reads its bytes with our drivers.
 */
export async function openMeterSource(
  meter: MeterConfig,
  context: Omit<ModuleMeterContext, 'read'>,
  tables: DriverTables = DRIVERS,
): Promise<MeterSource> {
  const entry = tables.meterSources.find((e) => e.name === meter.source);
  if (!entry?.options || !entry.configure) throw new Error(`meter.source: '${meter.source}' is not configurable`);
  const common = meter.smartyKey ? { smartyKey: meter.smartyKey } : {};
  const settings = entry.configure(v.parse(entry.options as DriverOptions, meter), common);
  return entry.open(settings, { ...context, read: (link) => createMeterSource(link as MeterSourceConfig) });
}
