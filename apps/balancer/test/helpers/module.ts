import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type AppConfig, validateConfig } from '../../src/config';
import { type RunningModule, startModule } from '../../src/wiring/module';

export const TEST_TOKEN = 'test-token-0123456789';

/** The embedded default (simulated meter on a socat pair, one simulated charger) on free ports, in a temp dir. */
export function testConfig(dir: string, overrides: Record<string, unknown> = {}): AppConfig {
  const result = validateConfig({
    version: 1,
    meter: { source: 'simulator', model: 'fluvius-3ph' },
    site: { connection: '3N400', fuseA: 25 },
    chargers: [{ id: 'sim1', driver: 'simulated', phases: [1, 2, 3], minA: 6, maxA: 16 }],
    http: { host: '127.0.0.1', port: 0, token: TEST_TOKEN },
    rawP1: { host: '127.0.0.1', port: 0 },
    store: { path: join(dir, 'state.db') },
    log: { level: 'silent' },
    ...overrides,
  });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.config;
}

export async function withModule(overrides: Record<string, unknown> = {}): Promise<{
  module: RunningModule;
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'p1-module-'));
  const module = await startModule(testConfig(dir, overrides), pino({ level: 'silent' }));
  return {
    module,
    dir,
    cleanup: async () => {
      await module.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The owner's capacity target, sent as the dashboard's settings form sends it (PATCH with the token). */
export async function setCapacityTarget(
  module: RunningModule,
  token: string,
  capacityTargetKw: number | null,
): Promise<void> {
  const res = await fetch(`${module.http.url}/api/v1/settings`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ capacityTargetKw }),
  });
  if (res.status !== 200) throw new Error(`PATCH /api/v1/settings answered ${res.status}: ${await res.text()}`);
}
