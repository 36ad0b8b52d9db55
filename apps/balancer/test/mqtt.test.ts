import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTelegram } from '@p1/dsmr';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import { LiveState } from '../src/live/live-state';
import { type MqttPublisher, startMqtt } from '../src/mqtt/publisher';
import { startModule } from '../src/wiring/module';
import { testConfig } from './helpers/module';
import { type Mosquitto, startMosquitto } from './helpers/mosquitto';
import { belgianTelegram } from './helpers/telegram';

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
}, 20_000);
afterAll(async () => {
  await broker?.stop();
});

describe('MQTT with Home Assistant discovery (real mosquitto)', () => {
  it('announces sensors, publishes state, and marks itself offline when stopping', async () => {
    const live = new LiveState(embeddedDefaultConfig().site);
    live.chargers = [
      {
        id: 'cp1',
        driver: 'simulated',
        phases: [1, 2, 3],
        minA: 6,
        maxA: 16,
        connected: true,
        vehiclePlugged: true,
        limitA: 11,
        limitPhases: 3,
        appliedLimitA: 11,
        currentA: [10.5, 10.4, 10.6],
        sessionKwh: 2,
        reason: 'quarter budget',
        problem: null,
      },
    ];
    const watcher = await mqtt.connectAsync(broker.url, { clientId: 'test-watcher' });
    const messages = new Map<string, string>();
    watcher.on('message', (topic, payload) => messages.set(topic, payload.toString()));
    await watcher.subscribeAsync(['homeassistant/#', 'p1/#']);

    const publisher: MqttPublisher = await startMqtt(
      { url: broker.url, username: null, password: null, topic: 'p1', discoveryPrefix: 'homeassistant' },
      live,
      pino({ level: 'silent' }),
    );
    await expect.poll(() => messages.get('p1/status'), { timeout: 10_000 }).toBe('online');
    await expect
      .poll(() => messages.has('homeassistant/sensor/p1_balancer/l1_current_a/config'), { timeout: 10_000 })
      .toBe(true);
    const discovery = JSON.parse(messages.get('homeassistant/sensor/p1_balancer/l1_current_a/config') as string);
    expect(discovery).toMatchObject({
      state_topic: 'p1/state',
      value_template: '{{ value_json.l1_current_a }}',
      unit_of_measurement: 'A',
      device_class: 'current',
      availability_topic: 'p1/status',
      unique_id: 'p1_balancer_p1_l1_current_a',
    });
    expect(messages.has('homeassistant/sensor/p1_balancer/cp1_limit_a/config')).toBe(true);

    live.reading = parseTelegram(
      belgianTelegram({ at: Date.UTC(2025, 0, 15, 9), importKw: 5.5, currentsA: [17.82, 4, 5] }),
    );
    live.publish();
    await expect.poll(() => JSON.parse(messages.get('p1/state') ?? '{}').l1_current_a, { timeout: 10_000 }).toBe(17.82);
    const state = JSON.parse(messages.get('p1/state') as string);
    expect(state).toMatchObject({ import_kw: 5.5, cp1_limit_a: 11, cp1_current_a: 10.6, cp1_reason: 'quarter budget' });

    await publisher.stop();
    await expect.poll(() => messages.get('p1/status'), { timeout: 10_000 }).toBe('offline');
    await watcher.endAsync();
  }, 40_000);
});

describe('the module with mqtt configured (real mosquitto)', () => {
  it('publishes the live meter values the module reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p1-mqtt-module-'));
    const watcher = await mqtt.connectAsync(broker.url, { clientId: 'test-module-watcher' });
    const states: Record<string, unknown>[] = [];
    watcher.on('message', (topic, payload) => {
      if (topic === 'home/p1/state') states.push(JSON.parse(payload.toString()));
    });
    await watcher.subscribeAsync('home/p1/#');
    const module = await startModule(
      testConfig(dir, { mqtt: { url: broker.url, topic: 'home/p1' } }),
      pino({ level: 'silent' }),
    );
    try {
      await expect.poll(() => states.some((s) => typeof s.l1_current_a === 'number'), { timeout: 15_000 }).toBe(true);
      const last = states.filter((s) => typeof s.l1_current_a === 'number').at(-1) as Record<string, unknown>;
      expect(last).toHaveProperty('sim1_limit_a');
      expect(last.meter_status).toBe('valid-telegrams');
    } finally {
      await module.stop();
      await watcher.endAsync();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
