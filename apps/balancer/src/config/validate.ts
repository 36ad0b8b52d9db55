import * as v from 'valibot';
import { DRIVERS, type DriverTables } from '../drivers';
import { listsForMappings, problemsOf, unworded } from './owner-text';
import { type AppConfig, configSchema } from './schema';

export type ValidationResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

const schemas = new WeakMap<DriverTables, ReturnType<typeof configSchema>>();

/** The schema for a set of driver tables, built once per set. */
export function schemaFor(tables: DriverTables = DRIVERS): ReturnType<typeof configSchema> {
  let schema = schemas.get(tables);
  if (!schema) {
    schema = configSchema(tables);
    schemas.set(tables, schema);
  }
  return schema;
}

/** Checks a parsed YAML document against schema version 1 and fills in the defaults; every problem at once. */
export function validateConfig(doc: unknown, tables: DriverTables = DRIVERS): ValidationResult {
  const schema = schemaFor(tables);
  const result = v.safeParse(schema, doc ?? {}, { message: unworded });
  const lists = listsForMappings(schema, doc ?? {});
  if (result.success && lists.length === 0) return { ok: true, config: result.output };
  return { ok: false, problems: problemsOf(schema, result.issues ?? [], lists) };
}
