import type { AppConfig } from './schema';
import { validateConfig } from './validate';

/**
 * The embedded default of `pnpm start`: a simulated Belgian meter on a virtual serial pair (in-process
 * without socat) whose household starts its appliances in the first minutes, one simulated charger with
 * a car plugged in, and the dashboard on http://127.0.0.1:8080. No capacity target, so that the fuse
 * loop shows at once; set one on the dashboard to see the quarter plan. State lives in .state/.
 */
export const EMBEDDED_DEFAULT = {
  version: 1,
  meter: { source: 'simulator', model: 'fluvius-3ph' },
  site: { connection: '3N400', fuseA: 25 },
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
