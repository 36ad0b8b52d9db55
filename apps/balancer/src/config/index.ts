export { EMBEDDED_DEFAULT, embeddedDefaultConfig } from './defaults';
export { type LoadResult, loadConfigFile, parseConfigText } from './load';
export * from './schema';
export { type ValidationResult, validateConfig } from './validate';
