import { simulatedChargerEntry } from '@p1/sim';
import { describe, expect, it } from 'vitest';
import { CHARGER_DRIVERS, createChargers } from '../src/charger/registry';
import { chargePoint, memoryLogger, until } from './ocpp-harness';

/** This package's table plus @p1/sim's simulated charger, as the apps assemble it. */
const drivers = [...CHARGER_DRIVERS, simulatedChargerEntry];

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

  it("checks a driver's own keys with its entry's schema, naming the path", async () => {
    await expect(
      createChargers([{ id: 'cp1', driver: 'ocpp', phases: [1], minA: 6, maxA: 16, password: 42 }], { drivers }),
    ).rejects.toThrow(/^chargers\[0\]\.password: /);
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
