/** The simulated meter as a byte stream: what a reader plugged into its P1 port gets, and when. */
import type { Readable } from 'node:stream';
import { type Reading, TelegramFramer } from '@p1/dsmr';
import { describe, expect, it } from 'vitest';
import { createSimulatedMeter } from '../src/index';
import { until } from './helpers';

const START = Date.parse('2025-06-10T12:00:00+02:00');

/** Frames whatever arrives on the stream; `ended` turns true when the stream ends. */
function read(stream: Readable, smartyKey?: string) {
  const framer = new TelegramFramer(smartyKey ? { smartyKey } : {});
  const readings: Reading[] = [];
  const state = { readings, ended: false };
  stream.on('data', (chunk: Buffer) => {
    for (const f of framer.push(chunk)) readings.push(f.reading);
  });
  stream.on('end', () => {
    state.ended = true;
  });
  return state;
}

const settle = () => new Promise((r) => setImmediate(r));

describe('the simulated meter as a byte stream', () => {
  it('one telegram per tick at speed 0, each valid, on the meter clock', async () => {
    const meter = createSimulatedMeter({ model: 'fluvius-3ph', speed: 0, startMs: START, seed: 3 });
    const got = read(meter.open());
    for (let i = 0; i < 5; i++) meter.tick();
    await settle();
    expect(got.readings.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(got.readings.map((r) => r.timestamp)).toEqual([
      '2025-06-10T12:00:01+02:00',
      '2025-06-10T12:00:02+02:00',
      '2025-06-10T12:00:03+02:00',
      '2025-06-10T12:00:04+02:00',
      '2025-06-10T12:00:05+02:00',
    ]);
    meter.stop();
  });

  it('the encrypted Smarty model needs the key the meter tells', async () => {
    const meter = createSimulatedMeter({ model: 'smarty', speed: 0, startMs: START });
    const got = read(meter.open(), meter.key);
    meter.tick();
    await settle();
    expect(got.readings[0]?.ok).toBe(true);
    expect(got.readings[0]?.protocol).toBe('smarty');
    meter.stop();
  });

  it('unplugged: the stream ends and no reader gets a new one until the cable is back', async () => {
    const meter = createSimulatedMeter({ speed: 0, startMs: START, seed: 4 });
    const first = read(meter.open());
    meter.tick();
    meter.injectFault({ kind: 'unplug', durationS: 2 });
    meter.tick();
    await settle();
    expect(first.ended).toBe(true);
    expect(() => meter.open()).toThrow(/unplugged/);
    meter.tick(); // the fault's last second
    meter.tick(); // the cable is back
    const second = read(meter.open());
    meter.tick();
    await settle();
    expect(first.readings).toHaveLength(1);
    expect(second.readings.map((r) => r.ok)).toEqual([true]);
    meter.stop();
  });

  it('one reader at a time: a new open ends the previous stream; stop ends it for good', async () => {
    const meter = createSimulatedMeter({ speed: 0, startMs: START });
    const old = read(meter.open());
    const now = read(meter.open());
    meter.tick();
    await settle();
    expect(old.ended).toBe(true);
    expect(old.readings).toHaveLength(0);
    expect(now.readings).toHaveLength(1);
    meter.stop();
    await settle();
    expect(now.ended).toBe(true);
    expect(() => meter.open()).toThrow(/stopped/);
  });

  it('sends by itself on its clock once started, ×speed', async () => {
    const meter = createSimulatedMeter({ model: 'fluvius-3ph', speed: 50, startMs: START });
    const got = read(meter.open());
    meter.start();
    await until(() => got.readings.length >= 3, 'three telegrams');
    meter.stop();
    expect(got.readings.slice(0, 3).every((r) => r.ok)).toBe(true);
  });

  it('runs the hook before every telegram, so a load set there is in that telegram', async () => {
    const net = async (withHook: boolean) => {
      const meter = createSimulatedMeter({
        speed: 0,
        startMs: START,
        seed: 5,
        ...(withHook ? { beforeTelegram: (sim) => sim.setLoad('ev-cp1', [1, 2, 3], 11) } : {}),
      });
      const got = read(meter.open());
      meter.tick();
      await settle();
      meter.stop();
      const power = got.readings[0]?.power;
      return (power?.importKw ?? Number.NaN) - (power?.exportKw ?? Number.NaN);
    };
    expect((await net(true)) - (await net(false))).toBeCloseTo(11, 2);
  });
});
