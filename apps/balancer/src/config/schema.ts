/**
 * The configuration of `p1 run --config FILE`, schema version 1, defined once with zod: the
 * TypeScript types, the checks and the published JSON Schema (config.schema.json) all come from
 * here. `meter.source`, `chargers[i].driver` and the keys of each driver come from the driver tables.
 */
import { CONNECTIONS } from '@p1/balancer';
import { hostName } from '@p1/drivers';
import { z } from 'zod';
import { DRIVERS, type DriverTables } from '../drivers';
import { crossChecks, isRequired } from './cross-checks';
import { ownerText } from './owner-text';

export const CONFIG_VERSION = 1;

/** An entry of a driver table as the configuration reads it. */
interface DriverKeys {
  readonly name: string;
  readonly options: z.ZodObject | null;
}

const SOLAR_MODES = ['off', 'surplus', 'min+surplus'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const TOPIC = /^[^#+\s]+$/;

/** Absent or null: null. */
const orNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);
/** A section whose keys all have defaults: absent or null gives the defaults. */
const section = <T extends z.ZodObject>(object: T) => object.nullish().transform((v) => v ?? object.parse({}));
/** An optional part (mqtt, rawP1): absent or null = off. */
const optionalPart = <T extends z.ZodObject>(object: T) => object.nullish().transform((v) => v ?? null);
const text = () => z.string().min(1);
const host = () => hostName.default('127.0.0.1');

/**
 * Every key of every driver of a kind, so that a key of another driver is known (not an error) and
 * checked all the same; the selected driver's required keys are required by `requiredByDriver`.
 */
function driverKeys(kind: string, entries: readonly DriverKeys[]): Record<string, z.ZodType> {
  const keys: Record<string, z.ZodType> = {};
  const owner: Record<string, string> = {};
  for (const entry of entries) {
    for (const [key, schema] of Object.entries(entry.options?.shape ?? {})) {
      const field = schema as z.ZodType;
      if (keys[key]) {
        const same =
          JSON.stringify(z.toJSONSchema(keys[key], { io: 'input' })) ===
          JSON.stringify(z.toJSONSchema(isRequired(field) ? field.nullish() : field, { io: 'input' }));
        if (!same) throw new Error(`${kind}.${key}: drivers ${owner[key]} and ${entry.name} define it differently`);
        continue;
      }
      keys[key] = isRequired(field) ? field.nullish() : field;
      owner[key] = entry.name;
    }
  }
  return keys;
}

/** JSON Schema: the keys the selected driver requires (the cross checks do the same); nothing when none does. */
function requiredIf(discriminator: string, entries: readonly DriverKeys[]): { allOf?: Record<string, unknown>[] } {
  const allOf = entries.flatMap((e) => {
    const required = Object.entries(e.options?.shape ?? {})
      .filter(([, s]) => isRequired(s as z.ZodType))
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

function configurable<E extends DriverKeys>(entries: readonly E[]): E[] {
  return entries.filter((e) => e.options !== null);
}

export function configSchema(tables: DriverTables = DRIVERS) {
  const sources = configurable(tables.meterSources);
  const drivers = configurable(tables.chargerDrivers);
  const names = (entries: readonly DriverKeys[]) => entries.map((e) => e.name) as [string, ...string[]];

  const meter = z
    .strictObject({
      source: z.enum(names(sources)).default('simulator').describe('Where the telegrams come from'),
      ...driverKeys('meter', sources),
      smartyKey: orNull(
        z
          .string()
          .regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hexadecimal digits')
          .describe('Luxembourg Smarty decryption key (hex); never logged'),
      ),
    })
    .meta(requiredIf('source', sources));

  const phases = z
    .array(z.union([z.literal(1), z.literal(2), z.literal(3)]))
    .min(1)
    .max(3)
    .refine((p) => new Set(p).size === p.length)
    .default([1, 2, 3])
    .meta({ uniqueItems: true, description: 'Grid lines the charger is wired to' })
    .register(ownerText, { problem: 'must be a list of distinct lines 1, 2 or 3, e.g. [1, 2, 3]', whole: true });

  const charger = z
    .strictObject({
      id: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,48}$/, 'must be letters, digits, _ . - (at most 48)')
        .describe('OCPP charge point identity (ws://HOST:PORT/<id>) or a name'),
      driver: z.enum(names(drivers)).default('simulated'),
      phases,
      minA: z.number().min(6).max(80).default(6),
      maxA: z.number().min(6).max(80).default(16),
      safeA: z
        .number()
        .min(0)
        .max(80)
        .optional()
        .describe('Current on shutdown and when the module goes silent; default minA'),
      switchPhases: z.boolean().default(false).describe('1/3-phase switching'),
      priority: z.int().min(-100).max(100).default(0).describe('Higher is served first'),
      ...driverKeys('chargers[i]', drivers),
    })
    .meta(requiredIf('driver', drivers))
    .transform((c) => ({ ...c, safeA: c.safeA ?? c.minA }));

  const site = z.strictObject({
    connection: z.enum(CONNECTIONS).default('3N400'),
    fuseA: z.number().min(6).max(250).default(25).describe('Main fuse (A)'),
    capacityTargetKw: orNull(z.number().min(2.5).max(1000)).describe(
      'Belgian quarter-hour peak target (kW); omit or null for fuse protection only',
    ),
    solar: z.enum(SOLAR_MODES).default('off'),
  });

  const http = z.strictObject({
    host: host(),
    port: z.int().min(0).max(65535).default(8080),
    token: orNull(
      z
        .string()
        .regex(/^\S{8,}$/, 'must be at least 8 characters without spaces')
        .describe('Bearer token for state-changing calls; default generated and written to the state dir'),
    ),
  });

  const ocpp = z.strictObject({
    host: host(),
    port: z.int().min(0).max(65535).default(9000),
    failsafeLeaseS: z.int().min(2).max(3600).default(120).describe("Lifetime of each charger's limit profile (s)"),
    heartbeatIntervalS: z.int().min(10).max(86400).default(300),
    overdraw: section(
      z.strictObject({
        graceS: z.number().min(5).max(600).default(15),
        toleranceA: z.number().min(0).max(16).default(1),
        toleranceRatio: z.number().min(0).max(1).default(0.1),
      }),
    ),
  });

  const mqtt = z.strictObject({
    url: z
      .string()
      .regex(/^(mqtts?|wss?|tcp):\/\/\S+$/, 'must be a URL such as mqtt://127.0.0.1:1883')
      .describe('MQTT broker, e.g. mqtt://127.0.0.1:1883'),
    username: orNull(text()),
    password: orNull(text().describe('Never logged')),
    topic: z.string().regex(TOPIC, 'must be a topic without wildcards or spaces').default('p1'),
    discoveryPrefix: z.string().regex(TOPIC, 'must be a topic without wildcards or spaces').default('homeassistant'),
  });

  return z
    .strictObject({
      version: z
        .literal(CONFIG_VERSION)
        .describe('Schema version of this file')
        .register(ownerText, {
          problem: (input) =>
            input === undefined
              ? `is required (the current schema is version ${CONFIG_VERSION})`
              : `must be ${CONFIG_VERSION} (this program reads schema version ${CONFIG_VERSION}; see the README's upgrade note)`,
        }),
      meter: section(meter),
      site: section(site),
      chargers: z
        .array(charger)
        .register(ownerText, { problem: 'must be a list of chargers' })
        .nullish()
        .transform((v) => v ?? []),
      http: section(http),
      ocpp: section(ocpp),
      mqtt: optionalPart(mqtt),
      rawP1: optionalPart(z.strictObject({ host: host(), port: z.int().min(0).max(65535).default(2001) })),
      store: section(z.strictObject({ path: text().default('.state/p1-balancer.db').describe('SQLite file') })),
      log: section(z.strictObject({ level: z.enum(LOG_LEVELS).default('info') })),
    })
    .superRefine(crossChecks(tables), { when: () => true });
}

export type AppConfig = z.output<ReturnType<typeof configSchema>>;
export type MeterConfig = AppConfig['meter'];
export type SiteConfig = AppConfig['site'];
export type ChargerConfig = AppConfig['chargers'][number];
export type HttpConfig = AppConfig['http'];
export type OcppConfig = AppConfig['ocpp'];
export type MqttConfig = NonNullable<AppConfig['mqtt']>;
export type RawP1Config = NonNullable<AppConfig['rawP1']>;
export type StoreConfig = AppConfig['store'];
