/**
 * The driver tables of the module, one per kind: the configuration's `meter.source` and
 * `chargers[i].driver` (and each driver's keys), the factories and the README all read them.
 * They are assembled here because the simulated drivers live in @p1/sim, which @p1/drivers does not
 * depend on. Adding a driver: its entry file next to it, and one line in its package's table or
 * below (CONTRIBUTING.md).
 */
import {
  CHARGER_DRIVERS,
  type ChargerDriverEntry,
  METER_SOURCES,
  type MeterSource,
  type MeterSourceEntry,
} from '@p1/drivers';
import { type SimulatorContext, simulatedChargerEntry, simulatorMeterEntry } from '@p1/sim';

/** What the module gives a meter source when it opens it (only the simulator needs more than its settings). */
export type ModuleMeterContext = SimulatorContext<MeterSource>;

// biome-ignore lint/suspicious/noExplicitAny: a table holds entries whose settings differ; each entry is typed where written
export type ModuleMeterSource = MeterSourceEntry<any, any, ModuleMeterContext>;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type ModuleChargerDriver = ChargerDriverEntry<any>;

export interface DriverTables {
  readonly meterSources: readonly ModuleMeterSource[];
  readonly chargerDrivers: readonly ModuleChargerDriver[];
}

/** @p1/drivers' own tables (a configuration file cannot name a code-only source), then @p1/sim's drivers. */
export const DRIVERS: DriverTables = {
  meterSources: [...METER_SOURCES.filter((e) => e.options !== null), simulatorMeterEntry],
  chargerDrivers: [...CHARGER_DRIVERS, simulatedChargerEntry],
};
