/** The simulated charge point of @p1/sim steered by our central system, its car's power fed to a meter. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadChargePointSimulator, memoryLogger } from '@p1/sim';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { capabilities, startSystem, until } from './ocpp-harness';

describe('closing the loop through the meter simulator', () => {
  it('p1-sim charger: the OCPP limit shows up as kW at the meter', { timeout: 30_000 }, async () => {
    // The meter simulator's control API, reduced to what the feed calls: PUT /api/loads/:name.
    const puts: { load: string; body: { phases: number[]; kw: number } }[] = [];
    const app = express().use(express.json());
    app.put('/api/loads/:name', (req, res) => {
      puts.push({ load: String(req.params.name), body: req.body });
      res.json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const meterUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp7'), password: 'pw' }] });
    const { runChargePoint } = await loadChargePointSimulator();
    const run = await runChargePoint({
      url: system.url,
      id: 'cp7',
      password: 'pw',
      phases: 3,
      maxA: 32,
      car: { lagS: 0, rampS: 1, maxA: 32 },
      faults: [],
      meterControl: { url: meterUrl, token: 'tok' },
      tickMs: 100,
      logger: memoryLogger(),
    });
    try {
      await until(() => run.chargePoint.transactionId !== null, 'session');
      await system.charger('cp7').setLimit(10);
      // 3 × 230 V × 10 A = 6.9 kW
      await until(
        () => puts.some((p) => p.load === 'ev-cp7' && Math.abs(p.body.kw - 6.9) < 1e-6),
        'kW at the meter',
        20_000,
      );
      expect(puts.find((p) => p.body.kw > 0)?.body.phases).toEqual([1, 2, 3]);
    } finally {
      await run.stop();
      server.close();
    }
    expect(puts.at(-1)?.body.kw).toBe(0);
  });
});
