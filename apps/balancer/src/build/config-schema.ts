/** Writes config.schema.json from the configuration's valibot definition (a test fails when the file is stale). */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from '../config';

const file = fileURLToPath(CONFIG_SCHEMA_FILE);
writeFileSync(file, configJsonSchemaText());
// laid out as `pnpm format` would, so that `pnpm lint` stays quiet
const biome = spawnSync('pnpm', ['exec', 'biome', 'format', '--write', file], { encoding: 'utf8' });
if (biome.error || biome.status !== 0) console.error(`config-schema: could not run biome on ${file}; run pnpm format`);
console.error(`wrote ${file}`);
