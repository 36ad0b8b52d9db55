import type { AppConfig } from './schema';
import { validateConfig } from './validate';

/**
 * The embedded default of `pnpm start`: a simulated Belgian meter on a virtual serial pair,
 * one simulated charger and the dashboard on http://127.0.0.1:8080. State lives in .state/.
 */
export const EMBEDDED_DEFAULT = {
  version: 1,
  meter: { source: 'simulator', model: 'fluvius-3ph' },
  site: { connection: '3N400', fuseA: 25, capacityTargetKw: 4.0 },
  chargers: [{ id: 'sim1', driver: 'simulated', phases: [1, 2, 3], minA: 6, maxA: 16 }],
  http: { host: '127.0.0.1', port: 8080 },
  rawP1: { host: '127.0.0.1', port: 2001 },
  store: { path: '.state/p1-balancer.db' },
} as const;

export function embeddedDefaultConfig(): AppConfig {
  const result = validateConfig(structuredClone(EMBEDDED_DEFAULT));
  if (!result.ok) throw new Error(`embedded default is invalid: ${result.problems.join('; ')}`);
  return result.config;
}
