/** TCP (raw P1), replay and HomeWizard-style HTTP sources, and the registry that picks them. */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Reading } from '@p1/dsmr';
import { MeterSimulation } from '@p1/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { createMeterSource, type MeterSource } from '../src/meter/index';
import type { ReplayMeterSource } from '../src/meter/replay-source';

const START = Date.parse('2025-05-05T10:00:00+02:00');
const dir = mkdtempSync(join(tmpdir(), 'p1-meter-net-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function collect(source: MeterSource): Reading[] {
  const out: Reading[] = [];
  source.on('reading', (r) => out.push(r));
  return out;
}

describe('meter source registry', () => {
  it('creates each kind lazily and names a bad source', async () => {
    const kinds = await Promise.all([
      createMeterSource({ source: 'serial', device: '/dev/null' }),
      createMeterSource({ source: 'tcp', port: 1 }),
      createMeterSource({ source: 'replay', file: 'x' }),
      createMeterSource({ source: 'http', url: 'http://127.0.0.1:1' }),
      createMeterSource({ source: 'stream', open: () => Readable.from([]) }),
    ]);
    expect(kinds.map((k) => k.kind)).toEqual(['serial', 'tcp', 'replay', 'http', 'stream']);
    await expect(createMeterSource({ source: 'modem' } as never)).rejects.toThrow(/meter.source "modem"/);
  });
});

describe('TCP source', () => {
  it('reads raw P1 from a TCP server and reconnects after the connection drops', async () => {
    const sim = new MeterSimulation({ model: 'fluvius-3ph', startMs: START, seed: 2 });
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const source = await createMeterSource({ source: 'tcp', port, reconnectMinMs: 50, reconnectMaxMs: 200 });
    const readings = collect(source);
    await source.start();
    await until(() => sockets.size === 1, 5_000, 'a client');
    const send = () => {
      const b = sim.next().bytes as Uint8Array;
      for (const s of sockets) s.write(b);
    };
    for (let i = 0; i < 5; i++) send();
    await until(() => readings.length === 5, 5_000, 'five readings');
    expect(source.diagnosis).toBe('valid-telegrams');
    for (const s of sockets) s.destroy();
    await until(() => source.diagnosis === 'disconnected' || source.counters.reconnects === 1, 5_000, 'disconnect');
    await until(() => source.counters.reconnects === 1 && sockets.size === 1, 5_000, 'reconnect');
    send();
    await until(() => readings.length === 6, 5_000, 'the telegram after reconnecting');
    expect(readings.every((r) => r.ok)).toBe(true);
    await source.stop();
    server.close();
  });
});

describe('replay source', () => {
  const sim = new MeterSimulation({ model: 'dsmr5', startMs: START, seed: 6 });
  const file = join(dir, 'capture.p1');
  writeFileSync(file, Buffer.concat(Array.from({ length: 40 }, () => sim.next().bytes as Uint8Array)));

  it('fast: the whole capture at once, in order', async () => {
    const source = (await createMeterSource({ source: 'replay', file, realtime: false })) as ReplayMeterSource;
    const readings = collect(source);
    await source.start();
    await source.done;
    expect(readings).toHaveLength(40);
    expect(readings.every((r) => r.ok)).toBe(true);
    expect(readings[39]?.timestamp).toBe('2025-05-05T10:00:40+02:00');
  });

  it('real time, accelerated: spaced by the meter timestamps', async () => {
    const source = (await createMeterSource({ source: 'replay', file, speed: 100 })) as ReplayMeterSource;
    const readings = collect(source);
    const t0 = performance.now();
    await source.start();
    await source.done;
    // 39 gaps of 1 s at ×100 ≈ 390 ms.
    expect(performance.now() - t0).toBeGreaterThan(300);
    expect(readings).toHaveLength(40);
  });

  it('a capture whose last telegram lacks its line ending still yields it, in both modes', async () => {
    const cut = join(dir, 'capture-no-final-crlf.p1');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 2));
    for (const realtime of [false, true]) {
      const source = (await createMeterSource({
        source: 'replay',
        file: cut,
        realtime,
        speed: 1000,
      })) as ReplayMeterSource;
      const readings = collect(source);
      await source.start();
      await source.done;
      expect(readings.map((r) => r.ok)).toEqual(Array.from({ length: 40 }, () => true));
    }
  });
});

describe('HomeWizard-style HTTP source', () => {
  it('polls /api/v1/telegram, skips repeats, and notices the device going away', async () => {
    const sim = new MeterSimulation({ model: 'fluvius-1ph', startMs: START, seed: 1 });
    let current = Buffer.from(sim.next().bytes as Uint8Array);
    const server = createHttpServer((req, res) => {
      if (req.url !== '/api/v1/telegram') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(current);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const source = await createMeterSource({ source: 'http', url, intervalMs: 20 });
    const readings = collect(source);
    await source.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(readings).toHaveLength(1); // polled several times, one telegram
    current = Buffer.from(sim.next().bytes as Uint8Array);
    await until(() => readings.length === 2, 5_000, 'the next telegram');
    expect(readings.map((r) => r.ok)).toEqual([true, true]);
    server.closeAllConnections();
    server.close();
    await until(() => source.diagnosis === 'disconnected', 5_000, 'disconnected');
    await source.stop();
  });
});

describe('stream source', () => {
  it('an open that fails is reported and retried; an ended stream is opened again, with a fresh framer', async () => {
    const sim = new MeterSimulation({ model: 'fluvius-3ph', startMs: START, seed: 3 });
    const telegram = () => sim.next().bytes as Uint8Array;
    let opens = 0;
    const streams: Readable[] = [];
    const source = await createMeterSource({
      source: 'stream',
      name: 'test pipe',
      reconnectMinMs: 10,
      reconnectMaxMs: 20,
      open: () => {
        opens++;
        if (opens === 1) throw new Error('not there yet');
        const s = new Readable({ read() {} });
        streams.push(s);
        return s;
      },
    });
    const errors: string[] = [];
    source.on('error', (e) => errors.push(e.message));
    const readings = collect(source);
    await source.start();
    expect(source.diagnosis).toBe('disconnected');
    expect(errors).toEqual(['test pipe: not there yet']);
    await until(() => streams.length === 1, 5_000, 'the second open');
    const first = telegram();
    streams[0]?.push(first.subarray(0, 100)); // half a telegram, then the stream ends
    streams[0]?.push(null);
    await until(() => streams.length === 2, 5_000, 'the stream to be opened again');
    streams[1]?.push(telegram());
    await until(() => readings.filter((r) => r.ok).length === 1, 5_000, 'a valid reading');
    expect(readings.map((r) => r.ok || r.error?.code)).toEqual(['truncated', true]);
    expect(source.counters.reconnects).toBe(1);
    streams[1]?.destroy(new Error('gone'));
    await until(() => errors.includes('test pipe: gone'), 5_000, 'the stream error');
    await source.stop();
    const before = opens;
    await new Promise((r) => setTimeout(r, 60));
    expect(opens).toBe(before);
  });
});
