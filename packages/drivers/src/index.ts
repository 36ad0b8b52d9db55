export type {
  Charger,
  ChargerCapabilities,
  ChargerEvents,
  ChargerMeasurement,
  Phase,
} from '@p1/balancer/charger-state';
export { type Logger, silentLogger } from './charger/logger';
export type { OcppCentralSystem, OcppCentralSystemOptions, OcppChargerConfig } from './charger/ocpp/central-system';
export {
  type ChargerConfig,
  type ChargerFactory,
  type ChargerFleet,
  type ChargerFleetOptions,
  capabilitiesOf,
  createChargers,
} from './charger/registry';
export * from './meter/index';
export const loadOcppCentralSystem = () => import('./charger/ocpp/central-system');
