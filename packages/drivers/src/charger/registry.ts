import type { Charger, ChargerCapabilities, Phase } from './charger';
import { type Logger, silentLogger } from './logger';
import type { OcppCentralSystem } from './ocpp/central-system';
import type { OverdrawPolicy } from './ocpp/overdraw';
import type { CarSpec } from './simulated/car';

/** One entry of the `chargers:` list in the module's configuration (CONTRACTS.md §5). */
export interface ChargerConfig {
  /** OCPP charge point identity, or any name for a simulated charger. */
  id: string;
  driver: 'ocpp' | 'simulated';
  phases: Phase[];
  minA: number;
  maxA: number;
  switchPhases?: boolean;
  /** The charger's own fail-safe current; default minA. */
  safeA?: number;
  priority?: number;
  /** ocpp: security profile 1 password (basic auth). */
  password?: string;
  /** simulated: the car plugged in at start (null = none). */
  car?: CarSpec | null;
}

export interface ChargerFleetOptions {
  ocpp?: {
    host?: string;
    port?: number;
    heartbeatIntervalS?: number;
    failsafeLeaseS?: number;
    overdraw?: Partial<OverdrawPolicy>;
  };
  simulated?: { tickMs?: number | false };
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

export const CHARGER_DRIVERS = ['ocpp', 'simulated'] as const;

/** Drivers are imported only when configured: no websocket server without an OCPP charger. */
const loaders = {
  ocpp: () => import('./ocpp/central-system'),
  simulated: () => import('./simulated/simulated-charger'),
};

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
  const seen = new Set<string>();
  configs.forEach((c, i) => {
    if (!CHARGER_DRIVERS.includes(c.driver)) {
      throw new Error(`chargers[${i}].driver: '${String(c.driver)}' is not one of ${CHARGER_DRIVERS.join(', ')}`);
    }
    if (seen.has(c.id)) throw new Error(`chargers[${i}].id: '${c.id}' is used twice`);
    seen.add(c.id);
  });
  const logger = options.logger ?? silentLogger;
  const byId = new Map<string, Charger>();
  let ocpp: OcppCentralSystem | null = null;

  const ocppConfigs = configs.filter((c) => c.driver === 'ocpp');
  if (ocppConfigs.length > 0) {
    const { OcppCentralSystem } = await loaders.ocpp();
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
  const simConfigs = configs.filter((c) => c.driver === 'simulated');
  const simulated: Charger[] = [];
  if (simConfigs.length > 0) {
    const { createSimulatedCharger } = await loaders.simulated();
    for (const c of simConfigs) {
      const charger = createSimulatedCharger(capabilitiesOf(c), {
        ...(c.car !== undefined ? { car: c.car } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.simulated?.tickMs !== undefined ? { tickMs: options.simulated.tickMs } : {}),
      });
      simulated.push(charger);
      byId.set(c.id, charger);
    }
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
      await Promise.all(simulated.map((c) => c.stop()));
      await ocpp?.close();
    },
  };
}
