import type { Charger, ChargerCapabilities, Phase } from '@p1/balancer/charger-state';
import * as v from 'valibot';
import type { ChargerDriverEntry, DriverChargers, OcppServerOptions } from './driver-entry';
import { type Logger, silentLogger } from './logger';
import type { OcppCentralSystem } from './ocpp/central-system';
import { ocppChargerEntry } from './ocpp/ocpp-entry';

/** One entry of the `chargers:` list in the module's configuration (see apps/balancer/README.md, "Configuration"). */
export interface ChargerConfig {
  /** OCPP charge point identity, or any name for a charger of another driver. */
  id: string;
  /** The name of an entry in `ChargerFleetOptions.drivers` (`ocpp` by default). */
  driver: string;
  phases: Phase[];
  minA: number;
  maxA: number;
  switchPhases?: boolean;
  /** The charger's own fail-safe current; default minA. */
  safeA?: number;
  priority?: number;
  /** Keys of the charger's driver, checked by its entry's options (ocpp: `password`). */
  [driverKey: string]: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: a table holds entries whose options differ
export type ChargerDriverTable = readonly ChargerDriverEntry<any>[];

/** The drivers of this package; the apps add their own (e.g. `simulated` from @p1/sim). */
export const CHARGER_DRIVERS: ChargerDriverTable = [ocppChargerEntry];

export interface ChargerFleetOptions {
  ocpp?: OcppServerOptions;
  /** The driver table (default `CHARGER_DRIVERS`). */
  drivers?: ChargerDriverTable;
  logger?: Logger;
  now?: () => number;
}

export interface ChargerFleet {
  readonly chargers: Charger[];
  get(id: string): Charger;
  /** The OCPP server when any charger uses it. */
  readonly ocpp: OcppCentralSystem | null;
  close(): Promise<void>;
}

export function capabilitiesOf(c: ChargerConfig): ChargerCapabilities {
  return {
    id: c.id,
    phases: c.phases,
    minA: c.minA,
    maxA: c.maxA,
    switchPhases: c.switchPhases ?? false,
    safeA: c.safeA ?? c.minA,
    ...(c.priority !== undefined ? { priority: c.priority } : {}),
  };
}

export async function createChargers(
  configs: ChargerConfig[],
  options: ChargerFleetOptions = {},
): Promise<ChargerFleet> {
  const table = options.drivers ?? CHARGER_DRIVERS;
  const seen = new Set<string>();
  const groups = new Map<
    ChargerDriverEntry,
    { capabilities: ChargerCapabilities; options: Record<string, unknown> }[]
  >();
  configs.forEach((c, i) => {
    const entry = table.find((e) => e.name === c.driver);
    if (!entry) {
      throw new Error(
        `chargers[${i}].driver: '${String(c.driver)}' is not one of ${table.map((e) => e.name).join(', ')}`,
      );
    }
    if (seen.has(c.id)) throw new Error(`chargers[${i}].id: '${c.id}' is used twice`);
    seen.add(c.id);
    const parsed = v.safeParse(entry.options, c);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      throw new Error(`chargers[${i}].${v.getDotPath(issue)}: ${issue.message}`);
    }
    const group = groups.get(entry) ?? [];
    group.push({ capabilities: capabilitiesOf(c), options: parsed.output });
    groups.set(entry, group);
  });
  const context = {
    logger: options.logger ?? silentLogger,
    ...(options.ocpp ? { ocpp: options.ocpp } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const started: DriverChargers[] = [];
  const byId = new Map<string, Charger>();
  try {
    for (const [entry, group] of groups) {
      const driver = await entry.start(group, context);
      started.push(driver);
      for (const charger of driver.chargers) byId.set(charger.capabilities.id, charger);
    }
  } catch (err) {
    await Promise.allSettled(started.map((d) => d.close()));
    throw err;
  }
  // Keep the configured order: the balancer's fairness may depend on it.
  const chargers = configs.map((c) => byId.get(c.id) as Charger);
  return {
    chargers,
    ocpp: started.find((d) => d.ocpp)?.ocpp ?? null,
    get(id) {
      const charger = byId.get(id);
      if (!charger) throw new Error(`no charger configured with id '${id}'`);
      return charger;
    },
    async close() {
      await Promise.all(started.map((d) => d.close()));
    },
  };
}
