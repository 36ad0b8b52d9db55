/** The other outputs of `p1-sim run`: stdout at full speed, a file, a serial device, several TCP meters. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMeterSource } from '@p1/drivers';
import { type Reading, TelegramFramer } from '@p1/dsmr';
import { type SocatPair, startSocatPair } from '@p1/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { p1sim, startSim, until } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'p1-sim-out-'));
const pairs: SocatPair[] = [];
afterAll(async () => {
  for (const p of pairs) await p.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('p1-sim run outputs', () => {
  it('stdout at full speed for a set duration, and the same into a file', async () => {
    const file = join(dir, 'run.p1');
    const r = await p1sim([
      'run',
      '--output',
      'stdout,file',
      '--file',
      file,
      '--speed',
      'max',
      '--duration',
      '120',
      '--no-api',
      '--model',
      'dsmr5',
      '--start',
      '2025-07-01T12:00:00+02:00',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/"ready":true/); // the ready line goes to stderr when stdout carries telegrams
    const frames = new TelegramFramer().push(r.stdout);
    expect(frames).toHaveLength(120);
    expect(frames.every((f) => f.reading.ok)).toBe(true);
    expect(frames.at(-1)?.reading.timestamp).toBe('2025-07-01T12:02:00+02:00');
    expect(readFileSync(file).equals(r.stdout)).toBe(true);
  }, 60_000);

  it('a serial device at the model line settings (DSMR 2.2 at 9600 7E1, no CRC)', async () => {
    const device = join(dir, 'device');
    const reader = join(dir, 'reader');
    const socat = await startSocatPair(device, reader);
    pairs.push(socat);
    const source = await createMeterSource({ source: 'serial', device: reader, baud: 9600 });
    const readings: Reading[] = [];
    source.on('reading', (r) => readings.push(r));
    await source.start();
    const sim = await startSim([
      '--output',
      'serial',
      '--device',
      device,
      '--model',
      'dsmr22',
      '--speed',
      '20',
      '--no-api',
    ]);
    try {
      expect(sim.ready.device).toBe(device);
      await until(() => readings.length >= 3, 15_000, 'three DSMR 2.2 telegrams');
      expect(readings.every((r) => r.ok && r.crc === 'absent')).toBe(true);
      expect(readings[0]?.mbus[0]?.kind).toBe('gas');
    } finally {
      await source.stop();
      await sim.stop();
    }
  }, 30_000);

  it('several independent meters on consecutive TCP ports, each addressable in the API', async () => {
    const base = 21_000 + Math.floor(Math.random() * 9_000);
    const sim = await startSim([
      '--output',
      'tcp',
      '--meters',
      '3',
      '--tcp-port',
      String(base),
      '--api-port',
      '0',
      '--token',
      't',
      '--speed',
      '10',
    ]);
    try {
      expect(sim.ready.tcp).toBe(`127.0.0.1:${base}-${base + 2}`);
      const headers: string[] = [];
      for (let i = 0; i < 3; i++) {
        const s = await createMeterSource({ source: 'tcp', port: base + i });
        const got: Reading[] = [];
        s.on('reading', (r) => got.push(r));
        await s.start();
        await until(() => got.length >= 1, 10_000, `meter ${i}`);
        await s.stop();
        headers.push(got[0]?.equipmentId as string);
      }
      expect(new Set(headers).size).toBe(3); // different meters, different seeds
      const state = (await (await fetch(`${sim.ready.api}/api/state?meter=2`)).json()) as {
        meter: number;
        meters: number;
      };
      expect(state).toMatchObject({ meter: 2, meters: 3 });
      expect((await fetch(`${sim.ready.api}/api/state?meter=9`)).status).toBe(404);
    } finally {
      await sim.stop();
    }
  }, 30_000);
});
