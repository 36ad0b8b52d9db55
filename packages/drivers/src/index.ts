export type {
  Charger,
  ChargerCapabilities,
  ChargerEvents,
  ChargerMeasurement,
  Phase,
} from '@p1/balancer/charger-state';
export {
  type ChargerDriverContext,
  type ChargerDriverEntry,
  chargerDriverEntry,
  type DriverCharger,
  type DriverChargers,
  type OcppServerOptions,
} from './charger/driver-entry';
export { type Logger, silentLogger } from './charger/logger';
export type { OcppCentralSystem, OcppCentralSystemOptions, OcppChargerConfig } from './charger/ocpp/central-system';
export { ocppChargerEntry } from './charger/ocpp/ocpp-entry';
export {
  CHARGER_DRIVERS,
  type ChargerConfig,
  type ChargerDriverTable,
  type ChargerFleet,
  type ChargerFleetOptions,
  capabilitiesOf,
  createChargers,
} from './charger/registry';
export { type DriverOptions, hostName } from './fields';
export * from './meter/index';
export const loadOcppCentralSystem = () => import('./charger/ocpp/central-system');
