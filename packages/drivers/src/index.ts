export type { Charger, ChargerCapabilities, ChargerEvents, ChargerMeasurement, Phase } from './charger/charger';
export { jsonLineLogger, type Logger, silentLogger } from './charger/logger';
export type { OcppCentralSystem, OcppCentralSystemOptions, OcppChargerConfig } from './charger/ocpp/central-system';
export {
  CHARGER_DRIVERS,
  type ChargerConfig,
  type ChargerFleet,
  type ChargerFleetOptions,
  capabilitiesOf,
  createChargers,
} from './charger/registry';
export type { CarSpec } from './charger/simulated/car';
export type { ChargePointFault, SimulatedChargePointOptions } from './charger/simulated/charge-point';
export type { ChargePointRunOptions, RunningChargePoint } from './charger/simulated/run-charge-point';
export {
  createSimulatedCharger,
  type SimulatedCharger,
  type SimulatedChargerOptions,
} from './charger/simulated/simulated-charger';
export * from './meter/index';
export const loadOcppCentralSystem = () => import('./charger/ocpp/central-system');
export const loadChargePointSimulator = () => import('./charger/simulated/run-charge-point');
