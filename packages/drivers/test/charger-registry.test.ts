import { createSimulatedCharger } from '@p1/sim';
import { describe, expect, it } from 'vitest';
import { type ChargerFactory, createChargers } from '../src/charger/registry';
import { chargePoint, memoryLogger, until } from './ocpp-harness';

/** The simulated charger of @p1/sim, as the apps hand it to the registry. */
const drivers: Record<string, ChargerFactory> = {
  simulated: (capabilities, { now }) =>
    createSimulatedCharger(capabilities, { tickMs: false, car: null, ...(now ? { now } : {}) }),
};

describe('charger registry', () => {
  it('simulated chargers only: no OCPP server is started', async () => {
    const fleet = await createChargers([{ id: 'sim1', driver: 'simulated', phases: [1, 2, 3], minA: 6, maxA: 16 }], {
      drivers,
    });
    expect(fleet.ocpp).toBeNull();
    expect(fleet.get('sim1').capabilities).toEqual({
      id: 'sim1',
      phases: [1, 2, 3],
      minA: 6,
      maxA: 16,
      switchPhases: false,
      safeA: 6,
    });
    await fleet.close();
  });

  it('a mixed fleet keeps the configured order and steers the OCPP charger over the websocket', {
    timeout: 30_000,
  }, async () => {
    const logger = memoryLogger();
    const fleet = await createChargers(
      [
        { id: 'cp1', driver: 'ocpp', phases: [1, 2, 3], minA: 6, maxA: 32, password: 'pw', safeA: 8 },
        { id: 'sim1', driver: 'simulated', phases: [1], minA: 6, maxA: 16 },
      ],
      { ocpp: { port: 0 }, drivers, logger },
    );
    try {
      expect(fleet.chargers.map((c) => c.capabilities.id)).toEqual(['cp1', 'sim1']);
      expect(fleet.ocpp).not.toBeNull();
      const cp = chargePoint(fleet.ocpp!.url, 'cp1', { password: 'pw' });
      await cp.start();
      await until(() => fleet.get('cp1').measurement.connected, 'connected');
      await fleet.get('cp1').setLimit(13);
      expect(cp.offeredA).toBe(13);
    } finally {
      await fleet.close();
    }
  });

  it('refuses an unknown driver or a duplicate id with the path of the entry', async () => {
    await expect(
      createChargers([{ id: 'x', driver: 'modbus', phases: [1], minA: 6, maxA: 16 }], { drivers }),
    ).rejects.toThrow("chargers[0].driver: 'modbus' is not one of ocpp, simulated");
    await expect(
      createChargers(
        [
          { id: 'x', driver: 'simulated', phases: [1], minA: 6, maxA: 16 },
          { id: 'x', driver: 'simulated', phases: [1], minA: 6, maxA: 16 },
        ],
        { drivers },
      ),
    ).rejects.toThrow("chargers[1].id: 'x' is used twice");
  });
});
