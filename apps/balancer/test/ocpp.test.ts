import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChargePointSimulator, silentLogger } from '@p1/sim';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startModule } from '../src/wiring/module';
import { testConfig } from './helpers/module';
import { freePort } from './helpers/mosquitto';

const dir = mkdtempSync(join(tmpdir(), 'p1-ocpp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the module with a real OCPP 1.6J charge point', () => {
  it('sends the balancer’s limit as a charging profile, and the safe current on stop', async () => {
    const port = await freePort();
    const config = testConfig(dir, {
      chargers: [
        { id: 'cp1', driver: 'ocpp', phases: [1, 2, 3], minA: 6, maxA: 16, safeA: 6, password: 'cp1-password-x' },
      ],
      ocpp: { host: '127.0.0.1', port },
    });
    const module = await startModule(config, pino({ level: 'silent' }));
    const { runChargePoint } = await loadChargePointSimulator();
    const offered: number[] = [];
    const cp = await runChargePoint({
      url: `ws://127.0.0.1:${port}`,
      id: 'cp1',
      password: 'cp1-password-x',
      phases: 3,
      maxA: 16,
      car: {},
      faults: [],
      logger: silentLogger,
    });
    cp.chargePoint.on('profile', (p: { offeredA: number }) => offered.push(p.offeredA));
    try {
      await expect.poll(() => module.live.chargers[0]?.connected, { timeout: 20_000 }).toBe(true);
      await expect.poll(() => module.live.chargers[0]?.limitA ?? null, { timeout: 20_000 }).not.toBeNull();
      // the charge point ends up offering what the balancer decided
      await expect.poll(() => offered.at(-1) === module.live.chargers[0]?.limitA, { timeout: 20_000 }).toBe(true);
    } finally {
      await module.stop();
    }
    await expect.poll(() => offered.at(-1), { timeout: 10_000 }).toBe(6);
    await cp.stop();
  }, 60_000);
});
