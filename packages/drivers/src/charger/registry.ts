import type { Charger, ChargerCapabilities, Phase } from '@p1/balancer/charger-state';
import { type Logger, silentLogger } from './logger';
import type { OcppCentralSystem } from './ocpp/central-system';
import type { OverdrawPolicy } from './ocpp/overdraw';

/** One entry of the `chargers:` list in the module's configuration (CONTRACTS.md §5). */
export interface ChargerConfig {
  /** OCPP charge point identity, or any name for a charger of another driver. */
  id: string;
  /** `ocpp`, or a driver given in `ChargerFleetOptions.drivers` (e.g. `simulated` from @p1/sim). */
  driver: string;
  phases: Phase[];
  minA: number;
  maxA: number;
  switchPhases?: boolean;
  /** The charger's own fail-safe current; default minA. */
  safeA?: number;
  priority?: number;
  /** ocpp: security profile 1 password (basic auth). */
  password?: string;
}

/** Makes a charger of a driver that lives outside this package (the apps pass the simulated one). */
export type ChargerFactory = (capabilities: ChargerCapabilities, context: { now?: () => number }) => Charger;

export interface ChargerFleetOptions {
  ocpp?: {
    host?: string;
    port?: number;
    heartbeatIntervalS?: number;
    failsafeLeaseS?: number;
    /** MeterValueSampleInterval set on each charge point (default 1 s); null leaves theirs. */
    meterValueSampleIntervalS?: number | null;
    overdraw?: Partial<OverdrawPolicy>;
  };
  /** Drivers besides `ocpp`, by name. */
  drivers?: Record<string, ChargerFactory>;
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

/** The driver this package brings; loaded only when configured: no websocket server without an OCPP charger. */
const OCPP = 'ocpp';
const loadOcpp = () => import('./ocpp/central-system');

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
  const factories = options.drivers ?? {};
  const known = [OCPP, ...Object.keys(factories)];
  const seen = new Set<string>();
  configs.forEach((c, i) => {
    if (!known.includes(c.driver)) {
      throw new Error(`chargers[${i}].driver: '${String(c.driver)}' is not one of ${known.join(', ')}`);
    }
    if (seen.has(c.id)) throw new Error(`chargers[${i}].id: '${c.id}' is used twice`);
    seen.add(c.id);
  });
  const logger = options.logger ?? silentLogger;
  const byId = new Map<string, Charger>();
  let ocpp: OcppCentralSystem | null = null;

  const ocppConfigs = configs.filter((c) => c.driver === OCPP);
  if (ocppConfigs.length > 0) {
    const { OcppCentralSystem } = await loadOcpp();
    ocpp = await OcppCentralSystem.start({
      ...options.ocpp,
      logger,
      ...(options.now ? { now: options.now } : {}),
      chargers: ocppConfigs.map((c) => ({
        capabilities: capabilitiesOf(c),
        ...(c.password !== undefined ? { password: c.password } : {}),
      })),
    });
    for (const c of ocpp.chargers()) byId.set(c.capabilities.id, c);
  }
  const others: Charger[] = [];
  for (const c of configs) {
    const factory = c.driver === OCPP ? undefined : factories[c.driver];
    if (!factory) continue;
    const charger = factory(capabilitiesOf(c), options.now ? { now: options.now } : {});
    others.push(charger);
    byId.set(c.id, charger);
  }
  // Keep the configured order: the balancer's fairness may depend on it.
  const chargers = configs.map((c) => byId.get(c.id) as Charger);
  return {
    chargers,
    ocpp,
    get(id) {
      const charger = byId.get(id);
      if (!charger) throw new Error(`no charger configured with id '${id}'`);
      return charger;
    },
    async close() {
      await Promise.all(others.map((c) => c.stop()));
      await ocpp?.close();
    },
  };
}
