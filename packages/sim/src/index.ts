/** @p1/sim: simulated meters and chargers that speak to the product over the same wires as real ones. */

export { type CarModel, type CarSpec, createCar, DEFAULT_CAR } from './charger/car';
export type { ChargePointFault, SimulatedChargePointOptions } from './charger/charge-point';
export type { MeterFeed, MeterFeedOptions } from './charger/meter-feed';
export type { ChargePointRunOptions, RunningChargePoint } from './charger/run-charge-point';
export {
  createSimulatedCharger,
  type SimulatedCharger,
  type SimulatedChargerOptions,
} from './charger/simulated-charger';
export { simulatedChargerEntry } from './charger/simulated-entry';
export { jsonLineLogger, type Logger, type LogLine, memoryLogger, silentLogger } from './logger';
export { demoScenario } from './meter/demo-scenario';
export {
  type EmbeddedMeter,
  type EmbeddedMeterLink,
  type EmbeddedMeterOptions,
  startEmbeddedMeter,
} from './meter/embedded-meter';
export {
  type ActiveFault,
  checkFaultRequest,
  FAULT_KINDS,
  FaultInjector,
  type FaultKind,
  type FaultRequest,
  type WireOutput,
} from './meter/faults';
export { findModel, METER_MODELS, type MeterModel } from './meter/models';
export { type Random, seededRandom } from './meter/random';
export { createSimulatedMeter, SimulatedMeter, type SimulatedMeterOptions } from './meter/simulated-meter';
export { DEMO_SMARTY_KEY, MeterSimulation, type SimulationOptions, type TelegramOut } from './meter/simulation';
export { type SimulatorContext, type SimulatorMeterConfig, simulatorMeterEntry } from './meter/simulator-entry';
/** The OCPP charge point and its websocket client load only when asked for (the module never needs them). */
export const loadChargePointSimulator = () => import('./charge-point');
export { openVirtualSerialPair, SocatMissingError, type SocatPair, startSocatPair } from './virtual-serial';
