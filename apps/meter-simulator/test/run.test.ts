/**
 * `p1-sim run` end to end: a socat pair and a TCP server read by the real drivers, driven through
 * the control API (port, loads, EV setpoint, faults incl. unplug/replug).
 */

import { createMeterSource, type MeterSource } from '@p1/drivers';
import type { Reading } from '@p1/dsmr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startSim, until } from './helpers';

const TOKEN = 'test-token-123';

describe('p1-sim run with socat and TCP outputs', () => {
  let sim: Running;
  let api: string;
  let serial: MeterSource;
  let tcp: MeterSource;
  const serialReadings: Reading[] = [];
  const tcpReadings: Reading[] = [];

  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sim = await startSim([
      '--output',
      'socat,tcp',
      '--tcp-port',
      '0',
      '--api-port',
      '0',
      '--token',
      TOKEN,
      '--speed',
      '5',
      '--start',
      '2025-01-20T20:00:00+01:00',
      '--seed',
      '4',
    ]);
    api = sim.ready.api as string;
    serial = await createMeterSource({
      source: 'serial',
      device: sim.ready.link as string,
      silenceMs: 800,
      reconnectMinMs: 100,
      reconnectMaxMs: 500,
    });
    serial.on('reading', (r) => serialReadings.push(r));
    await serial.start();
    const [host, port] = (sim.ready.tcp as string).split(':');
    tcp = await createMeterSource({
      source: 'tcp',
      host: host as string,
      port: Number(port),
      reconnectMinMs: 100,
      reconnectMaxMs: 500,
    });
    tcp.on('reading', (r) => tcpReadings.push(r));
    await tcp.start();
  }, 30_000);

  afterAll(async () => {
    await serial?.stop();
    await tcp?.stop();
    await sim?.stop();
  });

  it('prints where to connect and serves valid telegrams on both outputs', async () => {
    expect(sim.ready).toMatchObject({
      ready: true,
      model: 'fluvius-3ph',
      connection: '3N400',
      meters: 1,
      port: 'open',
    });
    expect(sim.stderr()).not.toContain(TOKEN); // given on the command line: not echoed
    await until(() => serialReadings.length >= 3 && tcpReadings.length >= 3, 10_000, 'readings');
    expect([...serialReadings, ...tcpReadings].every((r) => r.ok)).toBe(true);
    expect(serial.diagnosis).toBe('valid-telegrams');
    const state = await call('GET', '/api/state', undefined, null);
    expect(state.status).toBe(200);
    expect(state.json).toMatchObject({ model: 'fluvius-3ph', port: { open: true, gpArrow: true } });
    expect(state.json.registers).toHaveProperty('monthPeakKw');
  });

  it('refuses state changes without the token and names bad fields', async () => {
    expect((await call('PUT', '/api/port', { open: false }, null)).status).toBe(401);
    expect((await call('PUT', '/api/port', { open: false }, 'wrong')).status).toBe(401);
    const bad = await call('PUT', '/api/loads/oven', { phases: [4], kw: 2 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/"phases"/);
    expect((await call('POST', '/api/faults', { kind: 'earthquake' })).json.error).toMatch(/"kind" must be one of/);
    expect((await call('PUT', '/api/ev/nobody', { offeredA: 10 })).status).toBe(404);
  });

  it('a load set through the API shows up in the telegrams (closing the loop with a charger)', async () => {
    const before = serialReadings.length;
    await until(() => serialReadings.length > before, 5_000, 'a reading');
    const base = serialReadings.at(-1)?.phases[0]?.importKw ?? 0;
    const put = await call('PUT', '/api/loads/ev-cp7', { phases: [1], kw: 7 });
    expect(put.status).toBe(200);
    await until(() => (serialReadings.at(-1)?.phases[0]?.importKw ?? 0) > base + 6, 5_000, 'the load in the telegram');
    expect((await call('GET', '/api/state')).json.loads).toEqual([{ name: 'ev-cp7', phases: [1], kw: 7 }]);
    await call('PUT', '/api/loads/ev-cp7', { kw: 0 });
    expect((await call('GET', '/api/state')).json.loads).toEqual([]);
  });

  it('the scenario car follows the offered current', async () => {
    expect((await call('PUT', '/api/ev/car1', { offeredA: 8 })).status).toBe(200);
    await until(
      async () => {
        const evs = (await call('GET', '/api/state')).json.evs as Array<{ currentA: number; offeredA: number }>;
        return evs[0]?.offeredA === 8 && Math.abs((evs[0]?.currentA ?? 0) - 8) < 0.01;
      },
      15_000,
      'the car at 8 A',
    );
  }, 20_000);

  it('a closed port sends nothing (no-bytes) until opened again', async () => {
    expect((await call('PUT', '/api/port', { open: false })).json).toEqual({ open: false, gpArrow: false });
    await until(() => serial.diagnosis === 'no-bytes', 5_000, 'no-bytes');
    await call('PUT', '/api/port', { open: true });
    await until(() => serial.diagnosis === 'valid-telegrams', 5_000, 'valid again');
  });

  it('CRC and truncation faults reach the reader as counted bad frames', async () => {
    const crc = await call('POST', '/api/faults', { kind: 'crc', count: 2 });
    expect(crc.status).toBe(201);
    await until(
      () => (serial.counters.badByCode.crc_mismatch ?? 0) === 2 && (tcp.counters.badByCode.crc_mismatch ?? 0) === 2,
      10_000,
      'two CRC errors',
    );
    await call('POST', '/api/faults', { kind: 'truncate', count: 1 });
    await until(() => (serial.counters.badByCode.truncated ?? 0) === 1, 10_000, 'a truncated frame');
    const state = (await call('GET', '/api/state')).json;
    expect(state.faultsApplied).toMatchObject({ crc: 2, truncate: 1 });
  }, 20_000);

  it('unplug ends socat (reader disconnected) and replug recovers within 5 s', async () => {
    const reconnects = serial.counters.reconnects;
    // 10 meter seconds at ×5 = 2 s unplugged.
    await call('POST', '/api/faults', { kind: 'unplug', durationS: 10 });
    await until(() => serial.diagnosis === 'disconnected', 5_000, 'disconnected');
    const pulled = Date.now();
    await until(() => serial.counters.reconnects === reconnects + 1, 10_000, 'reconnected');
    const good = serial.counters.goodFrames;
    await until(() => serial.counters.goodFrames > good, 5_000, 'telegrams again');
    expect(Date.now() - pulled).toBeLessThan(2_000 + 5_000);
    expect(tcp.counters.reconnects).toBeGreaterThanOrEqual(1); // the TCP server was "unplugged" too

    // A blip shorter than socat's restart still ends plugged in.
    await call('POST', '/api/faults', { kind: 'unplug', durationS: 1 });
    const after = serial.counters.goodFrames;
    await until(() => serial.counters.goodFrames >= after + 3, 10_000, 'telegrams after a short unplug');
    expect((await call('GET', '/api/state')).json.unplugged).toBe(false);
  }, 30_000);
});
