import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createMeterFeed } from '../src/charger/simulated/meter-feed';
import { runChargePoint } from '../src/charger/simulated/run-charge-point';
import { capabilities, memoryLogger, startSystem, until } from './ocpp-harness';

interface Put {
  load: string;
  auth: string | undefined;
  body: { phases: number[]; kw: number };
}

/** A tiny stand-in for the meter simulator's control API: records PUT /api/loads/:name. */
async function meterStub(token: string): Promise<{ url: string; puts: Put[]; server: Server }> {
  const app = express();
  app.use(express.json());
  const puts: Put[] = [];
  app.put('/api/loads/:name', (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.status(401).json({ error: 'token' });
      return;
    }
    puts.push({ load: String(req.params.name), auth: req.headers.authorization, body: req.body });
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, puts, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

describe('feeding the car to the meter simulator', () => {
  it('PUTs the load with the bearer token every interval and switches it off on stop', async () => {
    const stub = await meterStub('t0k3n');
    servers.push(stub.server);
    let kw = 7.4;
    const feed = createMeterFeed({
      url: `${stub.url}/`,
      token: 't0k3n',
      load: 'ev-cp1',
      intervalMs: 50,
      logger: memoryLogger(),
      read: () => ({ phases: [1, 2, 3], kw }),
    });
    await until(() => stub.puts.length >= 2, 'two PUTs');
    kw = 3.6789;
    await feed.push();
    await feed.stop();
    expect(stub.puts[0]).toEqual({ load: 'ev-cp1', auth: 'Bearer t0k3n', body: { phases: [1, 2, 3], kw: 7.4 } });
    expect(stub.puts.map((p) => p.body.kw)).toContain(3.679);
    expect(stub.puts.at(-1)?.body).toEqual({ phases: [1, 2, 3], kw: 0 });
  });

  it('a refused or absent simulator is logged once per outage, not every second', async () => {
    const stub = await meterStub('right');
    servers.push(stub.server);
    const logger = memoryLogger();
    const feed = createMeterFeed({
      url: stub.url,
      token: 'wrong',
      load: 'ev-cp1',
      intervalMs: 20,
      logger,
      read: () => ({ phases: [1], kw: 1 }),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await feed.push()).toBe(false);
    await feed.stop();
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(logger.lines[0]?.obj.err).toBe('HTTP 401');
    expect(logger.text()).not.toContain('wrong');
  });

  it('p1-sim charger closes the loop: the OCPP limit shows up as kW at the meter', { timeout: 30_000 }, async () => {
    const stub = await meterStub('tok');
    servers.push(stub.server);
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp7'), password: 'pw' }] });
    const run = await runChargePoint({
      url: system.url,
      id: 'cp7',
      password: 'pw',
      phases: 3,
      maxA: 32,
      car: { lagS: 0, rampS: 1, maxA: 32 },
      faults: [],
      meterControl: { url: stub.url, token: 'tok' },
      tickMs: 100,
      logger: memoryLogger(),
    });
    try {
      await until(() => run.chargePoint.transactionId !== null, 'session');
      await system.charger('cp7').setLimit(10);
      // 3 × 230 V × 10 A = 6.9 kW
      await until(
        () => stub.puts.some((p) => p.load === 'ev-cp7' && Math.abs(p.body.kw - 6.9) < 1e-6),
        'kW at the meter',
        20_000,
      );
      expect(stub.puts.find((p) => p.body.kw > 0)?.body.phases).toEqual([1, 2, 3]);
    } finally {
      await run.stop();
    }
    expect(stub.puts.at(-1)?.body.kw).toBe(0);
  });
});
