/** The module as a library: for the Gherkin World, the HIL rig and embedding. */
export {
  type AppConfig,
  CONFIG_VERSION,
  EMBEDDED_DEFAULT,
  embeddedDefaultConfig,
  loadConfigFile,
  parseConfigText,
  validateConfig,
} from './config';
export type { StateSnapshot } from './live/live-state';
export { createLogger } from './log';
export { Store } from './store/store';
export { type RunningModule, StartupError, startModule } from './wiring/module';
