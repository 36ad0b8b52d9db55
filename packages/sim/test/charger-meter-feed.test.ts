import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createMeterFeed } from '../src/charger/meter-feed';
import { memoryLogger, until } from './helpers';

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
});
