export { EMBEDDED_DEFAULT, embeddedDefaultConfig } from './defaults';
export { CONFIG_SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from './json-schema';
export { type LoadResult, loadConfigFile, parseConfigText } from './load';
export * from './schema';
export { schemaFor, type ValidationResult, validateConfig } from './validate';
