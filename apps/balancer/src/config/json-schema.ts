import { toJsonSchema } from '@valibot/to-json-schema';
import { DRIVERS, type DriverTables } from '../drivers';
import { schemaFor } from './validate';

/** Where the published file lives (the example configuration's modeline points at it). */
export const CONFIG_SCHEMA_FILE = new URL('../../config.schema.json', import.meta.url);

/**
 * The published JSON Schema, draft 7 (apps/balancer/config.schema.json, `pnpm --filter @p1/app-balancer
 * config-schema`): what a file may say, for editors (yaml-language-server) and other validators.
 * Draft 7 is what every editor plugin reads. The checks across keys (unique ids, minA ≤ maxA …) are ours only.
 */
export function configJsonSchema(tables: DriverTables = DRIVERS): Record<string, unknown> {
  // the transforms (defaults filled in, null read as absent) are ours; the schema describes the input
  const schema = toJsonSchema(schemaFor(tables), { typeMode: 'input', errorMode: 'ignore' });
  return {
    $schema: schema.$schema,
    title: 'p1-balancer configuration, schema version 1',
    ...schema,
  };
}

/** The published file's text: what `pnpm --filter @p1/app-balancer config-schema` writes. */
export function configJsonSchemaText(tables?: DriverTables): string {
  return `${JSON.stringify(configJsonSchema(tables), null, 2)}\n`;
}
