import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reasonText } from '@p1/balancer';
import { parseTelegram } from '@p1/dsmr';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import { LiveState } from '../src/live/live-state';
import { type MqttPublisher, startMqtt } from '../src/mqtt/publisher';
import { startModule } from '../src/wiring/module';
import { discoveryProblems, stateProblem } from './helpers/ha-discovery-rules';
import { testConfig } from './helpers/module';
import { type Mosquitto, startMosquitto } from './helpers/mosquitto';
import { belgianTelegram } from './helpers/telegram';

/** The discovery configs among the messages seen. */
function configsIn(messages: Map<string, string>, prefix = 'homeassistant'): [string, string][] {
  return [...messages].filter(([topic]) => topic.startsWith(`${prefix}/`) && topic.endsWith('/config'));
}

/** Every config checked by Home Assistant's discovery rules, and what it shows for the latest state. */
function homeAssistantProblems(messages: Map<string, string>, prefix = 'homeassistant'): string[] {
  const problems: string[] = [];
  const uniqueIds = new Set<string>();
  for (const [topic, payload] of configsIn(messages, prefix)) {
    const result = discoveryProblems(topic, payload, prefix);
    problems.push(...result.problems);
    const config = result.discovered?.config;
    if (!config) continue;
    if (uniqueIds.has(config.unique_id as string)) problems.push(`${topic}: unique_id used twice`);
    uniqueIds.add(config.unique_id as string);
    const state = messages.get(config.state_topic as string);
    if (state === undefined) problems.push(`${topic}: nothing published on ${config.state_topic}`);
    else {
      const problem = stateProblem(config, state);
      if (problem) problems.push(`${topic}: ${problem}`);
    }
  }
  return problems;
}

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
        id: 'Drive-1', // an id that is no entity id as it is
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
        reasonText: reasonText('quarter budget'),
        measurement: 'ok',
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
      default_entity_id: 'sensor.p1_l1_current_a',
    });
    expect(discovery).not.toHaveProperty('object_id');
    await expect
      .poll(() => messages.get('homeassistant/sensor/p1_balancer/Drive_1_limit_a/config'), { timeout: 10_000 })
      .toMatch(/"default_entity_id":"sensor\.p1_drive_1_limit_a"/);
    await expect.poll(() => configsIn(messages).length, { timeout: 10_000 }).toBe(18);

    live.reading = parseTelegram(
      belgianTelegram({ at: Date.UTC(2025, 0, 15, 9), importKw: 5.5, currentsA: [17.82, 4, 5] }),
    );
    live.publish();
    await expect.poll(() => JSON.parse(messages.get('p1/state') ?? '{}').l1_current_a, { timeout: 10_000 }).toBe(17.82);
    const state = JSON.parse(messages.get('p1/state') as string);
    expect(state).toMatchObject({
      import_kw: 5.5,
      Drive_1_limit_a: 11,
      Drive_1_current_a: 10.6,
      Drive_1_reason: 'quarter budget',
    });
    expect(homeAssistantProblems(messages)).toEqual([]);

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
    const retained = new Map<string, string>();
    watcher.on('message', (topic, payload) => {
      retained.set(topic, payload.toString());
      if (topic === 'home/p1/state') states.push(JSON.parse(payload.toString()));
    });
    await watcher.subscribeAsync(['home/p1/#', 'ha-home/#']);
    const module = await startModule(
      testConfig(dir, { mqtt: { url: broker.url, topic: 'home/p1', discoveryPrefix: 'ha-home' } }),
      pino({ level: 'silent' }),
    );
    try {
      await expect.poll(() => states.some((s) => typeof s.l1_current_a === 'number'), { timeout: 15_000 }).toBe(true);
      const last = states.filter((s) => typeof s.l1_current_a === 'number').at(-1) as Record<string, unknown>;
      expect(last).toHaveProperty('sim1_limit_a');
      expect(last.meter_status).toBe('valid-telegrams');
      // every config the module published, as Home Assistant would take it, against its latest state
      expect(configsIn(retained, 'ha-home').length).toBe(18);
      expect(homeAssistantProblems(retained, 'ha-home')).toEqual([]);
    } finally {
      await module.stop();
      await watcher.endAsync();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});

describe('the discovery validator', () => {
  const topic = 'homeassistant/sensor/p1_balancer/import_kwh/config';
  const good = {
    name: 'Energy import',
    unique_id: 'p1_balancer_p1_import_kwh',
    default_entity_id: 'sensor.p1_import_kwh',
    state_topic: 'p1/state',
    value_template: '{{ value_json.import_kwh }}',
    availability_topic: 'p1/status',
    device: { identifiers: ['p1_balancer_p1'], name: 'P1 balancer' },
    unit_of_measurement: 'kWh',
    device_class: 'energy',
    state_class: 'total_increasing',
  };
  const problems = (config: Record<string, unknown>) => discoveryProblems(topic, JSON.stringify(config)).problems;

  it('accepts a valid config, in full or abbreviated form', () => {
    expect(problems(good)).toEqual([]);
    const short = {
      '~': 'p1',
      uniq_id: good.unique_id,
      def_ent_id: good.default_entity_id,
      stat_t: '~/state',
      val_tpl: good.value_template,
      avty_t: '~/status',
      dev: { ids: 'x', mf: 'p1' },
      unit_of_meas: 'kWh',
      dev_cla: 'energy',
      stat_cla: 'total',
    };
    expect(problems(short)).toEqual([]);
    expect(discoveryProblems(topic, JSON.stringify(short)).discovered?.config.state_topic).toBe('p1/state');
  });

  it('refuses what Home Assistant deprecates, drops or finds impossible', () => {
    const { default_entity_id: _, ...withoutDefault } = good;
    expect(problems({ ...withoutDefault, object_id: 'p1_import_kwh' })).toEqual([
      `${topic}: 'object_id' is deprecated (2025.10, gone in 2026.4): use 'default_entity_id'`,
    ]);
    expect(problems({ ...good, default_entity_id: 'p1_import_kwh' })).toHaveLength(1);
    expect(problems({ ...good, default_entity_id: 'sensor.P1_Import' })).toHaveLength(1);
    expect(problems({ ...good, state_class: 'measurement' })).toEqual([
      `${topic}: state_class 'measurement' is impossible for device_class 'energy'`,
    ]);
    expect(problems({ ...good, unit_of_measurement: 'kW' })).toHaveLength(1);
    expect(problems({ ...good, device: { name: 'no ids' } })).toEqual([
      `${topic}: device needs identifiers or connections`,
    ]);
    expect(problems({ ...good, availability: [{ topic: 'x' }] })).toHaveLength(1);
    expect(problems({ ...good, stat_topic: 'typo' })).toEqual([`${topic}: 'stat_topic' is not a sensor option`]);
    expect(problems({ ...good, state_topic: 'p1/#/state' })).toHaveLength(1);
    expect(discoveryProblems('homeassistant/sensor/p1 balancer/x/config', JSON.stringify(good)).problems).toHaveLength(
      1,
    );
    expect(stateProblem(good, JSON.stringify({ import_kwh: 'lots' }))).toBe("numeric sensor renders 'lots'");
    expect(stateProblem(good, JSON.stringify({ import_kwh: null }))).toBeNull();
  });
});
