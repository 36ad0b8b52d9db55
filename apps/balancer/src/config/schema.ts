/**
 * The configuration of `p1 run --config FILE` (see apps/balancer/README.md, "Configuration"),
 * schema version 1, defined once with valibot: the TypeScript types, the checks and the published
 * JSON Schema (config.schema.json) all come from here. `meter.source`, `chargers[i].driver` and the
 * keys of each driver come from the driver tables.
 */
import {
  CONNECTIONS,
  DEFAULT_CAPACITY_MARGIN_KW,
  DEFAULT_MIN_CHARGE_S,
  DEFAULT_MIN_PAUSE_S,
  DEFAULT_PHASE_SWITCH_DELAY_S,
  DEFAULT_PHASE_SWITCH_HOLD_S,
  DEFAULT_UNSEEN_STEP_KW,
} from '@p1/balancer';
import { type DriverOptions, hostName } from '@p1/drivers';
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { DRIVERS, type DriverTables } from '../drivers';
import { crossChecks, isRequired } from './cross-checks';
import { worded } from './owner-text';

export const CONFIG_VERSION = 1;

/** An entry of a driver table as the configuration reads it. */
interface DriverKeys {
  readonly name: string;
  readonly options: DriverOptions | null;
}

type Schema = v.GenericSchema;

const SOLAR_MODES = ['off', 'surplus', 'min+surplus'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const TOPIC = /^[^#+\s]+$/;

const text = () => v.pipe(v.string(), v.minLength(1));
const about = <T extends Schema>(schema: T, description: string) => v.pipe(schema, v.description(description));
const between = (min: number, max: number) => v.pipe(v.number(), v.minValue(min), v.maxValue(max));
const integerBetween = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
/** A car's current (A): the range IEC 61851 signals to it. */
const carA = (description: string) => v.optional(about(between(6, 80), description));
const seconds = (description: string) => about(integerBetween(0, 3600), description);
const port = (fallback: number) => v.optional(integerBetween(0, 65535), fallback);
const host = () => v.optional(hostName, '127.0.0.1');
/** Absent or null: null. An optional part (mqtt, rawP1) is off so. */
const orNull = <T extends Schema>(schema: T) => v.nullish(schema, null);
const optionalPart = orNull;
/** A section whose keys all have defaults: absent or null gives the defaults. */
const section = <T extends Schema>(object: T) => v.nullish(object, {} as v.InferInput<T>);

/**
 * Every key of every driver of a kind, so that a key of another driver is known (not an error) and
 * checked all the same; the selected driver's required keys are required by the cross checks.
 */
function driverKeys(kind: string, entries: readonly DriverKeys[]): v.ObjectEntries {
  const keys: Record<string, Schema> = {};
  const owner: Record<string, string> = {};
  const json = (s: Schema) => JSON.stringify(toJsonSchema(s, { errorMode: 'ignore', typeMode: 'input' }));
  for (const entry of entries) {
    for (const [key, schema] of Object.entries(entry.options?.entries ?? {})) {
      const field = isRequired(schema) ? v.nullish(schema) : schema;
      if (keys[key]) {
        if (json(keys[key]) !== json(field)) {
          throw new Error(`${kind}.${key}: drivers ${owner[key]} and ${entry.name} define it differently`);
        }
        continue;
      }
      keys[key] = field;
      owner[key] = entry.name;
    }
  }
  return keys;
}

/** JSON Schema: the keys the selected driver requires (the cross checks do the same); nothing when none does. */
function requiredIf(discriminator: string, entries: readonly DriverKeys[]): { allOf?: Record<string, unknown>[] } {
  const allOf = entries.flatMap((e) => {
    const required = Object.entries(e.options?.entries ?? {})
      .filter(([, s]) => isRequired(s))
      .map(([k]) => k);
    if (required.length === 0) return [];
    return [
      {
        if: { properties: { [discriminator]: { const: e.name } }, required: [discriminator] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
        then: { required, properties: Object.fromEntries(required.map((k) => [k, { not: { type: 'null' } }])) },
      },
    ];
  });
  return allOf.length ? { allOf } : {};
}

const configurable = <E extends DriverKeys>(entries: readonly E[]) => entries.filter((e) => e.options !== null);
const names = (entries: readonly DriverKeys[]) => entries.map((e) => e.name) as [string, ...string[]];

export function configSchema(tables: DriverTables = DRIVERS) {
  const sources = configurable(tables.meterSources);
  const drivers = configurable(tables.chargerDrivers);

  const meter = v.pipe(
    v.strictObject({
      source: v.optional(about(v.picklist(names(sources)), 'Where the telegrams come from'), 'simulator'),
      ...driverKeys('meter', sources),
      smartyKey: orNull(
        v.pipe(
          v.string(),
          v.regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hexadecimal digits'),
          v.description('Luxembourg Smarty decryption key (hex); never logged'),
        ),
      ),
    }),
    v.metadata(requiredIf('source', sources)),
  );

  const phases = worded(
    v.optional(
      v.pipe(
        v.array(v.picklist([1, 2, 3])),
        v.minLength(1),
        v.maxLength(3),
        v.check((p) => new Set(p).size === p.length),
        v.metadata({ uniqueItems: true }),
        v.description('Grid lines the charger is wired to'),
      ),
      [1, 2, 3],
    ),
    { problem: 'must be a list of distinct lines 1, 2 or 3, e.g. [1, 2, 3]', whole: true },
  );

  const charger = v.pipe(
    v.strictObject({
      id: v.pipe(
        v.string(),
        v.regex(/^[A-Za-z0-9_.-]{1,48}$/, 'must be letters, digits, _ . - (at most 48)'),
        v.description('OCPP charge point identity (ws://HOST:PORT/<id>) or a name'),
      ),
      driver: v.optional(v.picklist(names(drivers)), 'simulated'),
      phases,
      minA: v.optional(between(6, 80), 6),
      maxA: v.optional(between(6, 80), 16),
      safeA: v.optional(about(between(0, 80), 'Current on shutdown and when the module goes silent; default minA')),
      switchPhases: v.optional(about(v.boolean(), '1/3-phase switching'), false),
      priority: v.optional(about(integerBetween(-100, 100), 'Higher is served first'), 0),
      carMinA: carA("The car's own minimum current (A): it is offered 0 or at least this; some cars need 7–8 A"),
      carMaxA: carA("The car's own maximum current (A): it is never offered more"),
      minPauseS: v.optional(
        seconds('Shortest pause this car tolerates (s); the longer of this and timing.minPauseS applies'),
      ),
      ...driverKeys('chargers[i]', drivers),
    }),
    v.metadata(requiredIf('driver', drivers)),
    v.transform((c) => ({ ...c, safeA: c.safeA ?? c.minA })),
  );

  const site = v.strictObject({
    connection: v.optional(v.picklist(CONNECTIONS), '3N400'),
    fuseA: v.optional(about(between(6, 250), 'Main fuse (A)'), 25),
    capacityTargetKw: orNull(
      about(between(2.5, 1000), 'Belgian quarter-hour peak target (kW); omit or null for fuse protection only'),
    ),
    solar: v.optional(v.picklist(SOLAR_MODES), 'off'),
    neverRaiseMonthPeak: v.optional(
      about(v.boolean(), "Aim at the month's peak so far (at least 2.5 kW) even when the capacity target is higher"),
      false,
    ),
  });

  // When the balancer may start and stop a car; defaults are the balancer's own.
  const timing = v.strictObject({
    minPauseS: v.optional(seconds('A paused car does not restart before this (s)'), DEFAULT_MIN_PAUSE_S),
    minChargeS: v.optional(
      seconds('A started car is not paused for lack of solar surplus before this (s)'),
      DEFAULT_MIN_CHARGE_S,
    ),
    phaseSwitch: section(
      v.strictObject({
        delayS: v.optional(
          seconds('A switch to the better of 1 and 3 phases waits until it has been better this long (s)'),
          DEFAULT_PHASE_SWITCH_DELAY_S,
        ),
        // Every switch breaks the session and works the contactor: at least a minute between two.
        holdS: v.optional(
          about(integerBetween(60, 3600), 'Least time between two phase switches of a charger (s)'),
          DEFAULT_PHASE_SWITCH_HOLD_S,
        ),
      }),
    ),
  });

  // The balancer's safety margins; defaults are the balancer's own (packages/balancer/README.md).
  const margins = v.strictObject({
    fuseA: v.optional(about(between(0, 10), 'Amperes kept free under the fuse on every line'), 0.5),
    capacityKw: v.optional(about(between(0, 2), 'kW kept under the capacity target'), DEFAULT_CAPACITY_MARGIN_KW),
    unseenStepKw: v.optional(
      about(between(0, 15), 'Room kept under 1.45 × the fuse for an appliance not seen yet (kW); 0 turns it off'),
      DEFAULT_UNSEEN_STEP_KW,
    ),
  });

  const http = v.strictObject({
    host: host(),
    port: port(8080),
    token: orNull(
      v.pipe(
        v.string(),
        v.regex(/^\S{8,}$/, 'must be at least 8 characters without spaces'),
        v.description('Bearer token for state-changing calls; default generated and written to the state dir'),
      ),
    ),
    openHomeWizardApi: v.optional(
      about(v.boolean(), 'Bound beyond loopback: leave the HomeWizard API v1 GETs open without the token'),
      false,
    ),
    allowedHosts: worded(
      v.optional(
        v.pipe(
          v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]+$/))),
          v.description(
            "Host names the dashboard is reached by, besides localhost, IP addresses and the machine's name",
          ),
        ),
        [],
      ),
      { problem: 'must be a list of host names, e.g. [p1.home.arpa]', whole: true },
    ),
  });

  const ocpp = v.strictObject({
    host: host(),
    port: port(9000),
    failsafeLeaseS: v.optional(about(integerBetween(2, 3600), "Lifetime of each charger's limit profile (s)"), 120),
    heartbeatIntervalS: v.optional(integerBetween(10, 86400), 300),
    overdraw: section(
      v.strictObject({
        graceS: v.optional(between(5, 600), 15),
        toleranceA: v.optional(between(0, 16), 1),
        toleranceRatio: v.optional(between(0, 1), 0.1),
      }),
    ),
  });

  const topic = () => v.pipe(v.string(), v.regex(TOPIC, 'must be a topic without wildcards or spaces'));
  const mqtt = v.strictObject({
    url: v.pipe(
      v.string(),
      v.regex(/^(mqtts?|wss?|tcp):\/\/\S+$/, 'must be a URL such as mqtt://127.0.0.1:1883'),
      v.description('MQTT broker, e.g. mqtt://127.0.0.1:1883'),
    ),
    username: orNull(text()),
    password: orNull(about(text(), 'Never logged')),
    topic: v.optional(topic(), 'p1'),
    discoveryPrefix: v.optional(topic(), 'homeassistant'),
  });

  const config = v.strictObject({
    version: worded(about(v.literal(CONFIG_VERSION), 'Schema version of this file'), {
      problem: (input) =>
        input === undefined
          ? `is required (the current schema is version ${CONFIG_VERSION})`
          : `must be ${CONFIG_VERSION} (this program reads schema version ${CONFIG_VERSION}; see the README's upgrade note)`,
    }),
    meter: section(meter),
    site: section(site),
    margins: section(margins),
    timing: section(timing),
    chargers: v.nullish(worded(v.array(charger), { problem: 'must be a list of chargers' }), []),
    http: section(http),
    ocpp: section(ocpp),
    mqtt: optionalPart(mqtt),
    rawP1: optionalPart(v.strictObject({ host: host(), port: port(2001) })),
    store: section(v.strictObject({ path: v.optional(about(text(), 'SQLite file'), '.state/p1-balancer.db') })),
    log: section(v.strictObject({ level: v.optional(v.picklist(LOG_LEVELS), 'info') })),
  });
  return v.pipe(config, v.rawCheck(crossChecks<v.InferOutput<typeof config>>(tables)));
}

export type AppConfig = v.InferOutput<ReturnType<typeof configSchema>>;
export type MeterConfig = AppConfig['meter'];
export type SiteConfig = AppConfig['site'];
export type ChargerConfig = AppConfig['chargers'][number];
export type HttpConfig = AppConfig['http'];
export type OcppConfig = AppConfig['ocpp'];
export type MqttConfig = NonNullable<AppConfig['mqtt']>;
export type RawP1Config = NonNullable<AppConfig['rawP1']>;
export type StoreConfig = AppConfig['store'];
