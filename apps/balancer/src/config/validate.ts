import { CONNECTIONS, type SolarMode } from '@p1/balancer';
import {
  type AppConfig,
  type ChargerConfig,
  type ChargerDriver,
  CONFIG_VERSION,
  type MeterConfig,
  type MeterSourceKind,
} from './schema';

export type ValidationResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

type Obj = Record<string, unknown>;

/** Collects problems as `path: what is wrong`; every getter returns a usable value so checking goes on. */
class Checker {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  /** An object section; unknown keys are problems. Missing → {} (so defaults apply). */
  section(path: string, value: unknown, keys: readonly string[]): Obj {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, 'must be a mapping of keys');
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(join(path, key), `unknown key (expected one of ${keys.join(', ')})`);
    }
    return value as Obj;
  }

  number(path: string, value: unknown, min: number, max: number, fallback: number, integer = false): number {
    if (value === undefined) return fallback;
    const kind = integer ? 'an integer' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.fail(path, `must be ${kind} between ${min} and ${max}`);
      return fallback;
    }
    if (integer && !Number.isInteger(value)) {
      this.fail(path, `must be ${kind} between ${min} and ${max}`);
      return fallback;
    }
    return value;
  }

  string(path: string, value: unknown, fallback: string, pattern?: RegExp, what?: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.length === 0) {
      this.fail(path, 'must be a non-empty text');
      return fallback;
    }
    if (pattern && !pattern.test(value)) {
      this.fail(path, `must be ${what ?? `text matching ${pattern}`}`);
      return fallback;
    }
    return value;
  }

  optionalString(path: string, value: unknown): string | null {
    if (value === undefined || value === null) return null;
    return this.string(path, value, '') || null;
  }

  oneOf<T extends string>(path: string, value: unknown, options: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !options.includes(value as T)) {
      this.fail(path, `must be one of ${options.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  boolean(path: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.fail(path, 'must be true or false');
      return fallback;
    }
    return value;
  }

  required(path: string, value: unknown): boolean {
    if (value === undefined || value === null) {
      this.fail(path, 'is required');
      return false;
    }
    return true;
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

const HOST = /^[A-Za-z0-9.\-:[\]]+$/;
const SOURCES: readonly MeterSourceKind[] = ['serial', 'tcp', 'replay', 'http', 'simulator'];
const DRIVERS: readonly ChargerDriver[] = ['ocpp', 'simulated'];
const SOLAR: readonly SolarMode[] = ['off', 'surplus', 'min+surplus'];
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function meter(c: Checker, value: unknown): MeterConfig {
  const keys = ['source', 'device', 'baud', 'host', 'port', 'file', 'speed', 'url', 'model', 'scenario', 'smartyKey'];
  const m = c.section('meter', value, keys);
  const source = c.oneOf('meter.source', m.source, SOURCES, 'simulator');
  const config: MeterConfig = {
    source,
    device: c.optionalString('meter.device', m.device),
    baud: c.number('meter.baud', m.baud, 300, 921600, 115200, true),
    host: c.string('meter.host', m.host, '127.0.0.1', HOST, 'a host name or IP address'),
    port: c.number('meter.port', m.port, 1, 65535, 2000, true),
    file: c.optionalString('meter.file', m.file),
    speed: c.number('meter.speed', m.speed, 0.01, 100000, 1),
    url: c.optionalString('meter.url', m.url),
    model: c.string('meter.model', m.model, 'fluvius-3ph'),
    scenario: c.optionalString('meter.scenario', m.scenario),
    smartyKey:
      m.smartyKey === undefined
        ? null
        : c.string('meter.smartyKey', m.smartyKey, '', /^[0-9a-fA-F]{32}$/, '32 hexadecimal digits') || null,
  };
  if (source === 'serial') c.required('meter.device', m.device);
  if (source === 'tcp') c.required('meter.host', m.host ?? '127.0.0.1') && c.required('meter.port', m.port);
  if (source === 'replay') c.required('meter.file', m.file);
  if (source === 'http') {
    if (c.required('meter.url', m.url) && config.url && !/^https?:\/\//.test(config.url)) {
      c.fail('meter.url', 'must start with http:// or https://');
    }
  }
  return config;
}

function chargers(c: Checker, value: unknown): ChargerConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    c.fail('chargers', 'must be a list of chargers');
    return [];
  }
  const keys = ['id', 'driver', 'phases', 'minA', 'maxA', 'safeA', 'switchPhases', 'priority', 'password'];
  const seen = new Set<string>();
  return value.map((item, i) => {
    const p = `chargers[${i}]`;
    const o = c.section(p, item, keys);
    c.required(`${p}.id`, o.id);
    const id = c.string(
      `${p}.id`,
      o.id,
      `charger${i + 1}`,
      /^[A-Za-z0-9_.-]{1,48}$/,
      'letters, digits, _ . - (at most 48)',
    );
    if (seen.has(id)) c.fail(`${p}.id`, `duplicates another charger's id '${id}'`);
    seen.add(id);
    let phases: (1 | 2 | 3)[] = [1, 2, 3];
    if (o.phases !== undefined) {
      const ok =
        Array.isArray(o.phases) &&
        o.phases.length >= 1 &&
        o.phases.length <= 3 &&
        o.phases.every((x) => x === 1 || x === 2 || x === 3) &&
        new Set(o.phases).size === o.phases.length;
      if (ok) phases = o.phases as (1 | 2 | 3)[];
      else c.fail(`${p}.phases`, 'must be a list of distinct lines 1, 2 or 3, e.g. [1, 2, 3]');
    }
    const minA = c.number(`${p}.minA`, o.minA, 6, 80, 6);
    const maxA = c.number(`${p}.maxA`, o.maxA, 6, 80, 16);
    if (minA > maxA) c.fail(`${p}.minA`, `must not exceed maxA (${maxA})`);
    const safeA = c.number(`${p}.safeA`, o.safeA, 0, 80, minA);
    const driver = c.oneOf(`${p}.driver`, o.driver, DRIVERS, 'simulated');
    return {
      id,
      driver,
      phases,
      minA,
      maxA,
      safeA,
      switchPhases: c.boolean(`${p}.switchPhases`, o.switchPhases, false),
      priority: c.number(`${p}.priority`, o.priority, -100, 100, 0, true),
      password: c.optionalString(`${p}.password`, o.password),
    };
  });
}

/** Checks a parsed YAML document against schema version 1 and fills in the defaults. */
export function validateConfig(doc: unknown): ValidationResult {
  const c = new Checker();
  const top = c.section('', doc, [
    'version',
    'meter',
    'site',
    'chargers',
    'http',
    'ocpp',
    'mqtt',
    'rawP1',
    'store',
    'log',
  ]);
  if (top.version === undefined) c.fail('version', `is required (the current schema is version ${CONFIG_VERSION})`);
  else if (top.version !== CONFIG_VERSION) {
    c.fail(
      'version',
      `must be ${CONFIG_VERSION} (this program reads schema version ${CONFIG_VERSION}; see the README's upgrade note)`,
    );
  }

  const meterConfig = meter(c, top.meter);
  const s = c.section('site', top.site, ['connection', 'fuseA', 'capacityTargetKw', 'solar']);
  const site = {
    connection: c.oneOf('site.connection', s.connection, CONNECTIONS, '3N400'),
    fuseA: c.number('site.fuseA', s.fuseA, 6, 250, 25),
    capacityTargetKw:
      s.capacityTargetKw === null ? null : c.number('site.capacityTargetKw', s.capacityTargetKw, 2.5, 1000, Number.NaN),
    solar: c.oneOf('site.solar', s.solar, SOLAR, 'off'),
  };
  if (Number.isNaN(site.capacityTargetKw)) site.capacityTargetKw = null;

  const chargerList = chargers(c, top.chargers);
  const h = c.section('http', top.http, ['host', 'port', 'token', 'openHomeWizardApi', 'allowedHosts']);
  const allowedHosts = h.allowedHosts ?? [];
  if (!Array.isArray(allowedHosts) || !allowedHosts.every((n) => typeof n === 'string' && /^[A-Za-z0-9.-]+$/.test(n))) {
    c.fail('http.allowedHosts', 'must be a list of host names, e.g. [p1.home.arpa]');
  }
  const http = {
    host: c.string('http.host', h.host, '127.0.0.1', HOST, 'a host name or IP address'),
    port: c.number('http.port', h.port, 0, 65535, 8080, true),
    token:
      h.token === undefined
        ? null
        : c.string('http.token', h.token, '', /^\S{8,}$/, 'at least 8 characters without spaces') || null,
    openHomeWizardApi: c.boolean('http.openHomeWizardApi', h.openHomeWizardApi, false),
    allowedHosts: Array.isArray(allowedHosts) ? allowedHosts.filter((n): n is string => typeof n === 'string') : [],
  };

  const o = c.section('ocpp', top.ocpp, ['host', 'port', 'failsafeLeaseS', 'heartbeatIntervalS', 'overdraw']);
  const od = c.section('ocpp.overdraw', o.overdraw, ['graceS', 'toleranceA', 'toleranceRatio']);
  const ocpp = {
    host: c.string('ocpp.host', o.host, '127.0.0.1', HOST, 'a host name or IP address'),
    port: c.number('ocpp.port', o.port, 0, 65535, 9000, true),
    failsafeLeaseS: c.number('ocpp.failsafeLeaseS', o.failsafeLeaseS, 2, 3600, 120, true),
    heartbeatIntervalS: c.number('ocpp.heartbeatIntervalS', o.heartbeatIntervalS, 10, 86400, 300, true),
    overdraw: {
      graceS: c.number('ocpp.overdraw.graceS', od.graceS, 5, 600, 15),
      toleranceA: c.number('ocpp.overdraw.toleranceA', od.toleranceA, 0, 16, 1),
      toleranceRatio: c.number('ocpp.overdraw.toleranceRatio', od.toleranceRatio, 0, 1, 0.1),
    },
  };

  let mqtt: AppConfig['mqtt'] = null;
  if (top.mqtt !== undefined && top.mqtt !== null) {
    const q = c.section('mqtt', top.mqtt, ['url', 'username', 'password', 'topic', 'discoveryPrefix']);
    if (c.required('mqtt.url', q.url)) {
      mqtt = {
        url: c.string(
          'mqtt.url',
          q.url,
          'mqtt://127.0.0.1:1883',
          /^(mqtts?|wss?|tcp):\/\/\S+$/,
          'a URL such as mqtt://127.0.0.1:1883',
        ),
        username: c.optionalString('mqtt.username', q.username),
        password: c.optionalString('mqtt.password', q.password),
        topic: c.string('mqtt.topic', q.topic, 'p1', /^[^#+\s]+$/, 'a topic without wildcards or spaces'),
        discoveryPrefix: c.string(
          'mqtt.discoveryPrefix',
          q.discoveryPrefix,
          'homeassistant',
          /^[^#+\s]+$/,
          'a topic without wildcards or spaces',
        ),
      };
    }
  }

  let rawP1: AppConfig['rawP1'] = null;
  if (top.rawP1 !== undefined && top.rawP1 !== null) {
    const r = c.section('rawP1', top.rawP1, ['host', 'port']);
    rawP1 = {
      host: c.string('rawP1.host', r.host, '127.0.0.1', HOST, 'a host name or IP address'),
      port: c.number('rawP1.port', r.port, 0, 65535, 2001, true),
    };
  }

  const st = c.section('store', top.store, ['path']);
  const store = { path: c.string('store.path', st.path, '.state/p1-balancer.db') };
  const lg = c.section('log', top.log, ['level']);
  const log = { level: c.oneOf('log.level', lg.level, LEVELS, 'info') };

  const config: AppConfig = {
    version: 1,
    meter: meterConfig,
    site,
    chargers: chargerList,
    http,
    ocpp,
    mqtt,
    rawP1,
    store,
    log,
  };
  for (const ch of config.chargers) {
    for (const line of ch.phases) {
      if (site.connection === '1x230' && line !== 1) {
        c.fail(`chargers[${config.chargers.indexOf(ch)}].phases`, 'must be [1] on a 1x230 connection');
        break;
      }
    }
    if (ch.minA > site.fuseA) {
      c.fail(`chargers[${config.chargers.indexOf(ch)}].minA`, `must not exceed site.fuseA (${site.fuseA})`);
    }
  }
  return c.problems.length ? { ok: false, problems: c.problems } : { ok: true, config };
}
