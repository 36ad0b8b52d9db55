/**
 * The whole module steering one real OCPP 1.6J charge point over a real websocket: the simulated charge
 * point of @p1/sim with a car that follows its offer at once, as the OCPP module tests use it.
 */
import { loadChargePointSimulator, silentLogger } from '@p1/sim';
import pino from 'pino';
import { startModule } from '../../src/wiring/module';
import { testConfig } from './module';
import { freePort } from './mosquitto';

/** `ocpp`: options of the module's OCPP section beside host and port (e.g. a short `failsafeLeaseS`). */
export async function startOcppModule(dir: string, password: string, ocpp: Record<string, unknown> = {}) {
  const port = await freePort();
  const config = testConfig(dir, {
    site: { connection: '3N400', fuseA: 25 },
    chargers: [{ id: 'cp1', driver: 'ocpp', phases: [1, 2, 3], minA: 6, maxA: 16, safeA: 6, password }],
    ocpp: { host: '127.0.0.1', port, ...ocpp },
  });
  const module = await startModule(config, pino({ level: 'silent' }));
  const { runChargePoint } = await loadChargePointSimulator();
  const cp = await runChargePoint({
    url: `ws://127.0.0.1:${port}`,
    id: 'cp1',
    password,
    phases: 3,
    maxA: 16,
    car: { lagS: 0, rampS: 1 },
    faults: [],
    tickMs: 100,
    logger: silentLogger,
  });
  return { module, cp };
}
