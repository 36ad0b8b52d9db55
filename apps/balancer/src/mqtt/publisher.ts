import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { MqttConfig } from '../config/schema';
import type { LiveState, StateSnapshot } from '../live/live-state';

const PUBLISH_EVERY_MS = 1000;
/** Who published a discovery config: Home Assistant names it in its logs and repairs. */
const ORIGIN = { name: 'p1-balancer' };

interface SensorSpec {
  key: string;
  name: string;
  unit?: string;
  deviceClass?: string;
  stateClass?: 'measurement' | 'total_increasing';
  entityCategory?: 'diagnostic';
  value: (s: StateSnapshot) => number | string | null | undefined;
}

/** The flat state document published on `<topic>/state`; discovery templates read its keys. */
export function flatState(s: StateSnapshot): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const spec of sensors(s)) out[spec.key] = spec.value(s) ?? null;
  return out;
}

function sensors(s: StateSnapshot): SensorSpec[] {
  const r = s.reading?.ok ? s.reading : null;
  const base: SensorSpec[] = [
    {
      key: 'import_kw',
      name: 'Grid import',
      unit: 'kW',
      deviceClass: 'power',
      stateClass: 'measurement',
      value: () => s.grid?.importKw,
    },
    {
      key: 'export_kw',
      name: 'Grid export',
      unit: 'kW',
      deviceClass: 'power',
      stateClass: 'measurement',
      value: () => s.grid?.exportKw,
    },
    {
      key: 'import_kwh',
      name: 'Energy import',
      unit: 'kWh',
      deviceClass: 'energy',
      stateClass: 'total_increasing',
      value: () => r?.energy.importKwh,
    },
    {
      key: 'export_kwh',
      name: 'Energy export',
      unit: 'kWh',
      deviceClass: 'energy',
      stateClass: 'total_increasing',
      value: () => r?.energy.exportKwh,
    },
    {
      key: 'quarter_average_kw',
      name: 'Quarter-hour average',
      unit: 'kW',
      deviceClass: 'power',
      stateClass: 'measurement',
      value: () => s.quarter?.averageKw,
    },
    {
      key: 'quarter_projected_kw',
      name: 'Quarter-hour projection',
      unit: 'kW',
      deviceClass: 'power',
      stateClass: 'measurement',
      value: () => s.quarter?.projectedKw,
    },
    {
      key: 'month_peak_kw',
      name: 'Month peak',
      unit: 'kW',
      deviceClass: 'power',
      stateClass: 'measurement',
      value: () => s.month.peakKw,
    },
    { key: 'meter_status', name: 'Meter status', entityCategory: 'diagnostic', value: () => s.meter.diagnosis },
  ];
  for (const line of [1, 2, 3] as const) {
    base.push({
      key: `l${line}_current_a`,
      name: `L${line} current`,
      unit: 'A',
      deviceClass: 'current',
      stateClass: 'measurement',
      value: () => s.lines.find((l) => l.phase === line)?.currentA,
    });
    base.push({
      key: `l${line}_voltage_v`,
      name: `L${line} voltage`,
      unit: 'V',
      deviceClass: 'voltage',
      stateClass: 'measurement',
      value: () => s.lines.find((l) => l.phase === line)?.voltageV,
    });
  }
  for (const c of s.chargers) {
    const id = c.id.replace(/[^A-Za-z0-9_]/g, '_');
    base.push(
      {
        key: `${id}_limit_a`,
        name: `${c.id} limit`,
        unit: 'A',
        deviceClass: 'current',
        stateClass: 'measurement',
        value: () => c.limitA,
      },
      {
        key: `${id}_current_a`,
        name: `${c.id} current`,
        unit: 'A',
        deviceClass: 'current',
        stateClass: 'measurement',
        value: () => {
          const a = c.currentA.filter((x): x is number => typeof x === 'number');
          return a.length ? Math.max(...a) : null;
        },
      },
      {
        key: `${id}_session_kwh`,
        name: `${c.id} session energy`,
        unit: 'kWh',
        deviceClass: 'energy',
        stateClass: 'total_increasing',
        value: () => c.sessionKwh,
      },
      { key: `${id}_reason`, name: `${c.id} reason`, value: () => c.reason },
    );
  }
  return base;
}

export interface MqttPublisher {
  readonly client: MqttClient;
  stop(): Promise<void>;
}

/**
 * Publishes the live state on `<topic>/state` (at most once a second) with Home Assistant MQTT
 * discovery configs (retained) and an availability topic with a last will.
 */
export async function startMqtt(config: MqttConfig, live: LiveState, logger: Logger): Promise<MqttPublisher> {
  const availability = `${config.topic}/status`;
  const client = mqtt.connect(config.url, {
    ...(config.username ? { username: config.username } : {}),
    ...(config.password ? { password: config.password } : {}),
    clientId: `p1-balancer-${process.pid}`,
    will: { topic: availability, payload: Buffer.from('offline'), retain: true, qos: 1 },
    reconnectPeriod: 2000,
  });
  client.on('error', (err) => logger.warn({ err: err.message }, 'MQTT error'));
  let announced = '';
  let lastPublish = 0;
  let pending: NodeJS.Timeout | null = null;

  const announce = (s: StateSnapshot): void => {
    const specs = sensors(s);
    const signature = specs.map((x) => x.key).join(',');
    if (signature === announced) return;
    announced = signature;
    const device = {
      identifiers: [`p1_balancer_${config.topic}`],
      name: 'P1 balancer',
      manufacturer: 'p1-balancer',
      model: s.reading?.header ?? 'P1 meter',
    };
    for (const spec of specs) {
      const payload = {
        name: spec.name,
        unique_id: `p1_balancer_${config.topic}_${spec.key}`,
        // the entity id Home Assistant gives on first discovery (`object_id` is deprecated since 2025.10)
        default_entity_id: `sensor.p1_${spec.key.toLowerCase()}`,
        state_topic: `${config.topic}/state`,
        value_template: `{{ value_json.${spec.key} }}`,
        availability_topic: availability,
        device,
        origin: ORIGIN,
        ...(spec.unit ? { unit_of_measurement: spec.unit } : {}),
        ...(spec.entityCategory ? { entity_category: spec.entityCategory } : {}),
        ...(spec.deviceClass ? { device_class: spec.deviceClass } : {}),
        ...(spec.stateClass ? { state_class: spec.stateClass } : {}),
      };
      client.publish(`${config.discoveryPrefix}/sensor/p1_balancer/${spec.key}/config`, JSON.stringify(payload), {
        retain: true,
        qos: 1,
      });
    }
  };

  const publishNow = (): void => {
    pending = null;
    lastPublish = Date.now();
    const s = live.snapshot();
    announce(s);
    client.publish(`${config.topic}/state`, JSON.stringify(flatState(s)), { qos: 0 });
  };
  const onChange = (): void => {
    if (!client.connected || pending) return;
    const wait = PUBLISH_EVERY_MS - (Date.now() - lastPublish);
    if (wait <= 0) publishNow();
    else pending = setTimeout(publishNow, wait);
  };

  client.on('connect', () => {
    logger.info({ url: config.url.replace(/\/\/[^@/]*@/, '//') }, 'MQTT connected');
    announced = '';
    client.publish(availability, 'online', { retain: true, qos: 1 });
    publishNow();
  });
  live.on('change', onChange);

  return {
    client,
    async stop() {
      live.off('change', onChange);
      if (pending) clearTimeout(pending);
      if (client.connected) await client.publishAsync(availability, 'offline', { retain: true, qos: 1 });
      await client.endAsync();
    },
  };
}
